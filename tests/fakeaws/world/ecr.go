package world

import "strings"

// Repository is an ECR repository (aws:ecr/repository:Repository) with the
// policies attached to it.
type Repository struct {
	Name                       string              `json:"name"`
	ARN                        string              `json:"arn"`
	RegistryID                 string              `json:"registryId"`
	RepositoryURL              string              `json:"repositoryUrl"`
	ImageTagMutability         string              `json:"imageTagMutability"` // MUTABLE (default) | IMMUTABLE
	ImageScanningConfiguration ImageScanning       `json:"imageScanningConfiguration"`
	EncryptionConfigurations   []EncryptionSetting `json:"encryptionConfigurations"`
	Tags                       map[string]string   `json:"tags"`

	// RepositoryPolicy is the text stored by SetRepositoryPolicy, nil if none.
	RepositoryPolicy *string `json:"repositoryPolicy,omitempty"`
	// LifecyclePolicy is the text stored by PutLifecyclePolicy, nil if none.
	LifecyclePolicy *string `json:"lifecyclePolicy,omitempty"`
}

// ImageScanning is a repository's scan-on-push setting.
type ImageScanning struct {
	ScanOnPush bool `json:"scanOnPush"`
}

// EncryptionSetting is how a repository (or a creation template's
// repositories) are encrypted at rest.
type EncryptionSetting struct {
	EncryptionType string `json:"encryptionType"` // AES256 (default) | KMS | KMS_DSSE
	KmsKey         string `json:"kmsKey"`
}

// ScanOnPush reports the repository's scan-on-push setting.
func (r *Repository) ScanOnPush() bool { return r.ImageScanningConfiguration.ScanOnPush }

// Encryption returns the repository's encryption type and KMS key ARN ("" for AES256).
func (r *Repository) Encryption() (encryptionType, kmsKey string) {
	if len(r.EncryptionConfigurations) == 0 {
		return "AES256", ""
	}
	return r.EncryptionConfigurations[0].EncryptionType, r.EncryptionConfigurations[0].KmsKey
}

// AWSManagedECRKey is the key ECR reports for a KMS repository created without
// a key of its own (the AWS managed key aws/ecr).
func AWSManagedECRKey(region string) string {
	return RegionARN("kms", region, "key/aws-ecr-managed")
}

func (r *Repository) complete(region, name string) {
	r.Name = or(r.Name, name)
	r.ARN = or(r.ARN, RegionARN("ecr", region, "repository/"+r.Name))
	r.RegistryID = or(r.RegistryID, Account)
	r.RepositoryURL = or(r.RepositoryURL, Account+".dkr.ecr."+region+"."+DNSSuffix+"/"+r.Name)
	r.ImageTagMutability = or(r.ImageTagMutability, "MUTABLE")
	// ECR holds one encryption configuration; terraform-provider-aws sends
	// only the first element.
	if len(r.EncryptionConfigurations) == 0 {
		r.EncryptionConfigurations = []EncryptionSetting{{}}
	}
	r.EncryptionConfigurations = r.EncryptionConfigurations[:1]
	e := &r.EncryptionConfigurations[0]
	e.EncryptionType = or(e.EncryptionType, "AES256")
	if strings.HasPrefix(e.EncryptionType, "KMS") && e.KmsKey == "" {
		e.KmsKey = AWSManagedECRKey(region)
	}
	if r.Tags == nil {
		r.Tags = map[string]string{}
	}
}

// The registry-wide ECR settings are per account and region; each one's ID is
// the registry ID (the account).

// ReplicationConfiguration is aws:ecr/replicationConfiguration:ReplicationConfiguration.
// Deleting it puts an empty rule list (replication stops).
type ReplicationConfiguration struct {
	RegistryID               string            `json:"registryId"`
	ReplicationConfiguration ReplicationConfig `json:"replicationConfiguration"`
}

// ReplicationConfig holds the replication rules.
type ReplicationConfig struct {
	Rules []ReplicationRule `json:"rules"`
}

// ReplicationRule replicates the repositories its filters match to its destinations.
type ReplicationRule struct {
	Destinations []struct {
		Region     string `json:"region"`
		RegistryID string `json:"registryId"`
	} `json:"destinations"`
	RepositoryFilters []RepositoryFilter `json:"repositoryFilters"`
}

// RepositoryFilter selects repositories by name (PREFIX_MATCH or WILDCARD).
type RepositoryFilter struct {
	Filter     string `json:"filter"`
	FilterType string `json:"filterType"`
}

// RegistryPolicy is aws:ecr/registryPolicy:RegistryPolicy.
type RegistryPolicy struct {
	RegistryID string `json:"registryId"`
	Policy     string `json:"policy"` // normalised JSON
}

// RegistryScanningConfiguration is
// aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration. nil in
// a region means AWS's default, BASIC without rules, which is also what
// deleting it leaves.
type RegistryScanningConfiguration struct {
	RegistryID string         `json:"registryId"`
	ScanType   string         `json:"scanType"` // BASIC | ENHANCED
	Rules      []ScanningRule `json:"rules"`
}

// ScanningRule sets the scan frequency of the repositories its filters match.
type ScanningRule struct {
	ScanFrequency     string             `json:"scanFrequency"`
	RepositoryFilters []RepositoryFilter `json:"repositoryFilters"`
}

// PullThroughCacheRule is aws:ecr/pullThroughCacheRule:PullThroughCacheRule.
type PullThroughCacheRule struct {
	EcrRepositoryPrefix      string `json:"ecrRepositoryPrefix"`
	UpstreamRegistryURL      string `json:"upstreamRegistryUrl"`
	UpstreamRepositoryPrefix string `json:"upstreamRepositoryPrefix"`
	CredentialARN            string `json:"credentialArn"`
	CustomRoleARN            string `json:"customRoleArn"`
	RegistryID               string `json:"registryId"`
}

// RepositoryCreationTemplate is
// aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate: the settings
// of repositories ECR creates itself (pull through cache, replication).
type RepositoryCreationTemplate struct {
	Prefix                   string              `json:"prefix"`
	AppliedFors              []string            `json:"appliedFors"` // PULL_THROUGH_CACHE | REPLICATION
	CustomRoleARN            string              `json:"customRoleArn"`
	Description              string              `json:"description"`
	EncryptionConfigurations []EncryptionSetting `json:"encryptionConfigurations"`
	ImageTagMutability       string              `json:"imageTagMutability"`
	LifecyclePolicy          string              `json:"lifecyclePolicy"`
	RepositoryPolicy         string              `json:"repositoryPolicy"`
	ResourceTags             map[string]string   `json:"resourceTags"`
	RegistryID               string              `json:"registryId"`
}
