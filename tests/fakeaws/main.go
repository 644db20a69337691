// Command fakeaws is a TEST DOUBLE for the Pulumi AWS provider plugin
// (pulumi-resource-aws). It is not AWS, talks to no network service and must
// never be used outside tests.
//
// End-to-end tests build it as bin/fakeaws/pulumi-resource-aws so that the
// real Pulumi engine loads it in place of pulumi-aws v6.83.2. It emulates only
// what the ecrrepos component creates, with the observable behaviour of
// AWS ECR/IAM + pulumi-aws v6.83.2:
//
//   - aws:ecr/repository:Repository
//   - aws:ecr/repositoryPolicy:RepositoryPolicy
//   - aws:ecr/lifecyclePolicy:LifecyclePolicy
//   - aws:iam/role:Role (so that repository policies can name a role created
//     in the same program; ECR rejects principals that do not exist)
//   - functions aws:index/getCallerIdentity:getCallerIdentity,
//     aws:index/getRegion:getRegion and aws:index/getPartition:getPartition
//
// Anything else fails loudly with a "not emulated" error instead of
// pretending to work.
//
// The fake account is 123456789012 in partition "aws" (DNS suffix
// amazonaws.com). The region is the provider's "region" config, else
// $AWS_REGION, else us-east-1. If $FAKEAWS_STATE_DIR is set, the fake "AWS
// world" lives in $FAKEAWS_STATE_DIR/world.json and every successful mutating
// call is appended to $FAKEAWS_STATE_DIR/journal.jsonl, so a test can check
// what happened "in AWS"; otherwise the world is kept in memory. See
// README.md next to this file.
package main

import (
	"context"
	"fmt"
	"os"
	"sync"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

const (
	providerName    = "aws"
	providerVersion = "6.83.2"

	accountID = "123456789012"
	partition = "aws"
	dnsSuffix = "amazonaws.com"

	defaultRegion = "us-east-1"

	// callerUserARN is the identity the fake credentials belong to, and the
	// only IAM user in the fake account.
	callerUserARN = "arn:" + partition + ":iam::" + accountID + ":user/fake"

	// StateDirEnv names the directory holding world.json and journal.jsonl.
	StateDirEnv = "FAKEAWS_STATE_DIR"
)

// Tokens emulated by this test double.
const (
	tokRepository        = "aws:ecr/repository:Repository"
	tokRepositoryPolicy  = "aws:ecr/repositoryPolicy:RepositoryPolicy"
	tokLifecyclePolicy   = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
	tokRole              = "aws:iam/role:Role"
	tokGetCallerIdentity = "aws:index/getCallerIdentity:getCallerIdentity"
	tokGetRegion         = "aws:index/getRegion:getRegion"
	tokGetPartition      = "aws:index/getPartition:getPartition"
)

func main() {
	f := newFakeAWS(os.Getenv(StateDirEnv), os.Getenv("AWS_REGION"))
	if err := p.RunProvider(context.Background(), providerName, providerVersion, f.provider()); err != nil {
		fmt.Fprintf(os.Stderr, "fakeaws: %v\n", err)
		os.Exit(1)
	}
}

// fakeAWS is one provider instance (the engine runs one plugin process per
// configured aws provider).
type fakeAWS struct {
	mu     sync.Mutex
	region string

	world     *worldStore
	resources map[string]resourceHandler
}

// resourceHandler implements the resource lifecycle for one resource token.
type resourceHandler interface {
	check(p.CheckRequest) (p.CheckResponse, error)
	diff(p.DiffRequest) (p.DiffResponse, error)
	create(p.CreateRequest) (p.CreateResponse, error)
	read(p.ReadRequest) (p.ReadResponse, error)
	update(p.UpdateRequest) (p.UpdateResponse, error)
	delete(p.DeleteRequest) error
}

// newFakeAWS creates a provider instance. stateDir "" keeps the world in
// memory; envRegion is the fallback region ($AWS_REGION).
func newFakeAWS(stateDir, envRegion string) *fakeAWS {
	region := envRegion
	if region == "" {
		region = defaultRegion
	}
	f := &fakeAWS{region: region, world: newWorldStore(stateDir)}
	f.resources = map[string]resourceHandler{
		tokRepository:       &repositoryResource{f: f},
		tokRepositoryPolicy: newRepositoryPolicyResource(f),
		tokLifecyclePolicy:  newLifecyclePolicyResource(f),
		tokRole:             &roleResource{f: f},
	}
	return f
}

func (f *fakeAWS) currentRegion() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.region
}

func (f *fakeAWS) handler(tok tokens.Type) (resourceHandler, error) {
	if h, ok := f.resources[string(tok)]; ok {
		return h, nil
	}
	return nil, fmt.Errorf("fakeaws (test double): resource type %q is not emulated", tok)
}

func (f *fakeAWS) provider() p.Provider {
	return p.Provider{
		// CheckConfig and DiffConfig are deliberately left unimplemented: the
		// engine then accepts the configuration as given and never replaces
		// the provider because of a config change.
		Configure: f.configure,
		Invoke:    f.invoke,
		Check: func(_ context.Context, req p.CheckRequest) (p.CheckResponse, error) {
			h, err := f.handler(req.Urn.Type())
			if err != nil {
				return p.CheckResponse{}, err
			}
			return h.check(req)
		},
		Diff: func(_ context.Context, req p.DiffRequest) (p.DiffResponse, error) {
			h, err := f.handler(req.Urn.Type())
			if err != nil {
				return p.DiffResponse{}, err
			}
			return h.diff(req)
		},
		Create: func(_ context.Context, req p.CreateRequest) (p.CreateResponse, error) {
			h, err := f.handler(req.Urn.Type())
			if err != nil {
				return p.CreateResponse{}, err
			}
			return h.create(req)
		},
		Read: func(_ context.Context, req p.ReadRequest) (p.ReadResponse, error) {
			h, err := f.handler(req.Urn.Type())
			if err != nil {
				return p.ReadResponse{}, err
			}
			return h.read(req)
		},
		Update: func(_ context.Context, req p.UpdateRequest) (p.UpdateResponse, error) {
			h, err := f.handler(req.Urn.Type())
			if err != nil {
				return p.UpdateResponse{}, err
			}
			return h.update(req)
		},
		Delete: func(_ context.Context, req p.DeleteRequest) error {
			h, err := f.handler(req.Urn.Type())
			if err != nil {
				return err
			}
			return h.delete(req)
		},
	}
}

// configure reads the region and ignores every other key (version,
// skipCredentialsValidation, ...).
func (f *fakeAWS) configure(_ context.Context, req p.ConfigureRequest) error {
	region := ""
	if v, ok := req.Args.GetOk("region"); ok && v.IsString() {
		region = v.AsString()
	}
	if region == "" {
		region = req.Variables["aws:config:region"]
	}
	if region == "" {
		region = req.Variables["aws:region"]
	}
	if region != "" {
		f.mu.Lock()
		f.region = region
		f.mu.Unlock()
	}
	return nil
}

func (f *fakeAWS) invoke(_ context.Context, req p.InvokeRequest) (p.InvokeResponse, error) {
	region := f.currentRegion()
	var ret map[string]any
	switch string(req.Token) {
	case tokGetCallerIdentity:
		ret = map[string]any{
			"accountId": accountID,
			"arn":       callerUserARN,
			"id":        accountID,
			"userId":    "AIDAFAKEFAKEFAKEFAKE",
		}
	case tokGetRegion:
		// getRegion looks up the region named by its optional "name"
		// argument, defaulting to the provider's region.
		if v, ok := req.Args.GetOk("name"); ok && v.IsString() && v.AsString() != "" {
			region = v.AsString()
		}
		ret = map[string]any{
			"name":        region,
			"id":          region,
			"description": "fake region",
			"endpoint":    "ec2." + region + "." + dnsSuffix,
		}
	case tokGetPartition:
		ret = map[string]any{
			"partition":        partition,
			"dnsSuffix":        dnsSuffix,
			"id":               partition,
			"reverseDnsPrefix": "com.amazonaws",
		}
	default:
		return p.InvokeResponse{}, fmt.Errorf("fakeaws (test double): function %q is not emulated", req.Token)
	}
	return p.InvokeResponse{Return: mapFromGo(ret)}, nil
}

// awsError renders an ECR API error the way aws-sdk-go-v2 formats it inside
// terraform-provider-aws diagnostics.
func awsError(operation, code, message string) string {
	return awsServiceError("ECR", 400, operation, code, message)
}

// awsServiceError renders an error of any AWS service API (e.g. "IAM") with
// its HTTP status code, formatted like awsError.
func awsServiceError(service string, status int, operation, code, message string) string {
	return fmt.Sprintf("operation error %s: %s, https response error StatusCode: %d, "+
		"RequestID: 00000000-0000-0000-0000-fakeaws00000, %s: %s", service, operation, status, code, message)
}

func repositoryNotFound(operation, name string) string {
	return awsError(operation, "RepositoryNotFoundException", fmt.Sprintf(
		"The repository with name '%s' does not exist in the registry with id '%s'", name, accountID))
}
