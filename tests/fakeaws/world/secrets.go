package world

import (
	"slices"
	"strings"
)

// Secret is a Secrets Manager secret (aws:secretsmanager/secret:Secret), with
// its versions (aws:secretsmanager/secretVersion:SecretVersion). Its ID is
// its ARN: arn:aws:secretsmanager:<region>:123456789012:secret:<name>-<6 random characters>.
type Secret struct {
	Name        string            `json:"name"`
	ARN         string            `json:"arn"`
	Description string            `json:"description"`
	KmsKeyID    string            `json:"kmsKeyId"`
	Policy      string            `json:"policy"` // normalised JSON, "" if none
	Replicas    []map[string]any  `json:"replicas"`
	Tags        map[string]string `json:"tags"`
	// DeletedDate is set while the secret is scheduled for deletion (its
	// recovery window): it is gone for every API call but its name is taken.
	DeletedDate string                    `json:"deletedDate,omitempty"`
	Versions    map[string]*SecretVersion `json:"versions,omitempty"` // by version ID
}

// SecretVersion is one value of a secret. The secret string is kept so that a
// test can check what arrived; the test double never logs it.
type SecretVersion struct {
	VersionID     string   `json:"versionId"`
	SecretString  string   `json:"secretString,omitempty"`
	SecretBinary  string   `json:"secretBinary,omitempty"` // base64
	VersionStages []string `json:"versionStages"`
}

// Current returns the version labelled AWSCURRENT, or nil.
func (s *Secret) Current() *SecretVersion {
	for _, v := range s.Versions {
		if slices.Contains(v.VersionStages, "AWSCURRENT") {
			return v
		}
	}
	return nil
}

// Secret returns the live (not deleted) secret named by a name or an ARN, or nil.
func (r *Region) Secret(nameOrARN string) *Secret {
	for _, s := range r.Secrets {
		if (s.Name == nameOrARN || s.ARN == nameOrARN) && s.DeletedDate == "" {
			return s
		}
	}
	return nil
}

func (s *Secret) complete(region, name string) {
	s.Name = or(s.Name, name)
	s.ARN = or(s.ARN, RegionARN("secretsmanager", region, "secret:"+s.Name+"-"+stableID(region+s.Name, 6)))
	if s.Tags == nil {
		s.Tags = map[string]string{}
	}
	for id, v := range s.Versions {
		v.VersionID = or(v.VersionID, id)
	}
}

// Parameter is an SSM parameter (aws:ssm/parameter:Parameter). Creating one
// whose name exists fails unless overwrite is set, which makes it usable as a
// lock another stack can hold.
type Parameter struct {
	Name           string            `json:"name"`
	ARN            string            `json:"arn"`
	Type           string            `json:"type"` // String | StringList | SecureString
	Value          string            `json:"value"`
	InsecureValue  string            `json:"insecureValue"`
	Description    string            `json:"description"`
	AllowedPattern string            `json:"allowedPattern"`
	DataType       string            `json:"dataType"`
	KeyID          string            `json:"keyId"`
	Tier           string            `json:"tier"`
	Tags           map[string]string `json:"tags"`
	Version        int               `json:"version"`
}

func (p *Parameter) complete(region, name string) {
	p.Name = or(p.Name, name)
	p.ARN = or(p.ARN, RegionARN("ssm", region, "parameter/"+strings.TrimPrefix(p.Name, "/")))
	p.Type, p.DataType, p.Tier = or(p.Type, "String"), or(p.DataType, "text"), or(p.Tier, "Standard")
	if p.Type == "SecureString" {
		p.KeyID = or(p.KeyID, "alias/aws/ssm")
	}
	if p.Version == 0 {
		p.Version = 1
	}
	if p.Tags == nil {
		p.Tags = map[string]string{}
	}
}

// Key is a KMS key (aws:kms/key:Key), by key ID.
type Key struct {
	KeyID                          string            `json:"keyId"`
	ARN                            string            `json:"arn"`
	Description                    string            `json:"description"`
	Policy                         string            `json:"policy"`
	KeyUsage                       string            `json:"keyUsage"`              // default ENCRYPT_DECRYPT
	CustomerMasterKeySpec          string            `json:"customerMasterKeySpec"` // default SYMMETRIC_DEFAULT
	EnableKeyRotation              bool              `json:"enableKeyRotation"`
	RotationPeriodInDays           int               `json:"rotationPeriodInDays"`
	IsEnabled                      bool              `json:"isEnabled"`
	MultiRegion                    bool              `json:"multiRegion"`
	CustomKeyStoreID               string            `json:"customKeyStoreId"`
	XksKeyID                       string            `json:"xksKeyId"`
	BypassPolicyLockoutSafetyCheck bool              `json:"bypassPolicyLockoutSafetyCheck"`
	Tags                           map[string]string `json:"tags"`
	// KeyState is Enabled, Disabled or PendingDeletion (after a delete: the
	// key is gone for Pulumi, but aliases can no longer use it).
	KeyState string `json:"keyState"`
}

// Key returns the key named by a key ID or key ARN, or nil.
func (r *Region) Key(idOrARN string) *Key {
	for _, k := range r.Keys {
		if k.KeyID == idOrARN || k.ARN == idOrARN {
			return k
		}
	}
	return nil
}

func (k *Key) complete(region, id string) {
	k.KeyID = or(k.KeyID, id)
	k.ARN = or(k.ARN, RegionARN("kms", region, "key/"+k.KeyID))
	k.KeyUsage, k.CustomerMasterKeySpec = or(k.KeyUsage, "ENCRYPT_DECRYPT"), or(k.CustomerMasterKeySpec, "SYMMETRIC_DEFAULT")
	if k.KeyState == "" {
		k.KeyState, k.IsEnabled = "Enabled", true
	}
	if k.EnableKeyRotation && k.RotationPeriodInDays == 0 {
		k.RotationPeriodInDays = 365
	}
	if k.Policy == "" {
		k.Policy = `{"Id":"key-default-1","Statement":[{"Action":"kms:*","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` +
			Account + `:root"},"Resource":"*","Sid":"Enable IAM User Permissions"}],"Version":"2012-10-17"}`
	}
	if k.Tags == nil {
		k.Tags = map[string]string{}
	}
}

// Alias is a KMS alias (aws:kms/alias:Alias), by name ("alias/...").
type Alias struct {
	Name         string `json:"name"`
	ARN          string `json:"arn"`
	TargetKeyID  string `json:"targetKeyId"`
	TargetKeyARN string `json:"targetKeyArn"`
}
