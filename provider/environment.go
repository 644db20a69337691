package provider

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// environment is what the aws provider the Registry runs with says about
// where it deploys: the account, region and partition the resolver checks
// against, and the DNS suffix of the registry's host name.
type environment struct {
	config.Env
	dnsSuffix config.Text
	in        *arguments
}

// lookupEnvironment asks the Registry's aws provider (inherited through
// Parent, so an explicit provider passed to the Registry is the one asked)
// once, before any child is registered, so that documents are built in plain
// Go. When the provider cannot answer yet (a preview with a provider whose
// configuration is itself unknown) the answers are outputs and the documents
// that need them wait for them.
func lookupEnvironment(ctx *pulumi.Context, comp *Registry, in *arguments) (environment, error) {
	parent := pulumi.Parent(comp)
	identity, err := aws.GetCallerIdentity(ctx, nil, parent)
	if err != nil {
		return environment{}, err
	}
	region, err := aws.GetRegion(ctx, nil, parent)
	if err != nil {
		return environment{}, err
	}
	partition, err := aws.GetPartition(ctx, nil, parent)
	if err != nil {
		return environment{}, err
	}
	if identity.AccountId != "" && region.Name != "" && partition.Partition != "" && partition.DnsSuffix != "" {
		return environment{
			Env: config.Env{
				AccountID: config.Known(identity.AccountId),
				Region:    config.Known(region.Name),
				Partition: config.Known(partition.Partition),
			},
			dnsSuffix: config.Known(partition.DnsSuffix),
			in:        in,
		}, nil
	}
	id := aws.GetCallerIdentityOutput(ctx, aws.GetCallerIdentityOutputArgs{}, parent)
	rg := aws.GetRegionOutput(ctx, aws.GetRegionOutputArgs{}, parent)
	pt := aws.GetPartitionOutput(ctx, aws.GetPartitionOutputArgs{}, parent)
	return environment{
		Env: config.Env{
			AccountID: config.Deferred(in.deferred(id.AccountId())),
			Region:    config.Deferred(in.deferred(rg.Name())),
			Partition: config.Deferred(in.deferred(pt.Partition())),
		},
		dnsSuffix: config.Deferred(in.deferred(pt.DnsSuffix())),
		in:        in,
	}, nil
}

func (e environment) input(t config.Text) pulumi.StringInput { return e.in.input(t) }

// registryURL is the registry's host name, for docker login.
func (e environment) registryURL() pulumi.StringOutput {
	if e.AccountID.IsKnown() && e.Region.IsKnown() && e.dnsSuffix.IsKnown() {
		return pulumi.String(e.registryHost()).ToStringOutput()
	}
	return pulumi.Sprintf("%s.dkr.ecr.%s.%s", e.input(e.AccountID), e.input(e.Region), e.input(e.dnsSuffix))
}

// registryHost is the registry's host name once the environment is known.
func (e environment) registryHost() string {
	return e.AccountID.Value + ".dkr.ecr." + e.Region.Value + "." + e.dnsSuffix.Value
}

// repositoryArn is the ARN ECR gives repository name.
func (e environment) repositoryArn(name string) pulumi.StringOutput {
	if e.AccountID.IsKnown() && e.Region.IsKnown() && e.Partition.IsKnown() {
		return pulumi.String(e.repositoryArnText(name)).ToStringOutput()
	}
	return pulumi.Sprintf("arn:%s:ecr:%s:%s:repository/%s", e.input(e.Partition), e.input(e.Region), e.input(e.AccountID), name)
}

func (e environment) repositoryArnText(name string) string {
	return "arn:" + e.Partition.Value + ":ecr:" + e.Region.Value + ":" + e.AccountID.Value + ":repository/" + name
}
