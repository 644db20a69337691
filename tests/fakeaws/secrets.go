package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

func smError(verb, what, id, op, code, msg string) error {
	return fmt.Errorf("%s Secrets Manager %s (%s): %s", verb, what, id, awsError("Secrets Manager", 400, op, code, msg))
}

// validSecretName in terraform-provider-aws internal/service/secretsmanager/validate.go.
var secretNameRE = regexp.MustCompile(`^[0-9A-Za-z/_+=.@-]+$`)

// secretType emulates aws:secretsmanager/secret:Secret (ID = ARN), following
// terraform-provider-aws internal/service/secretsmanager/secret.go: name and
// namePrefix are ForceNew; description, kmsKeyId, policy and replicas update
// in place. Delete schedules the secret for deletion for
// recoveryWindowInDays (default 30; 0 deletes it at once): until then it is
// gone but its name is taken.
var secretType = &resourceType{
	token: "aws:secretsmanager/secret:Secret",
	fields: []field{
		str("name").forceNew().computed().autoname(255).valid(lenBetween(1, 512)).valid(matches(secretNameRE)),
		str("namePrefix").forceNew().stateOnly().valid(lenBetween(1, 512-26)).valid(matches(secretNameRE)),
		str("description").valid(lenBetween(0, 2048)),
		str("kmsKeyId"),
		jsonStr("policy").computed(),
		num("recoveryWindowInDays").def(30.0).stateOnly().valid(func(name string, v any) string {
			if n, _ := v.(float64); n == 0 {
				return ""
			}
			return intBetween(7, 30)(name, v)
		}),
		objList("replicas",
			str("region").required(),
			str("kmsKeyId").computed(),
			str("lastAccessedDate").computed(),
			str("status").computed(),
			str("statusMessage").computed(),
		).set().computed(),
		boolean("forceOverwriteReplicaSecret").def(false).stateOnly(),
		tags(),
	},
	outputs: []string{"arn"},
	idKey:   "arn",
	record:  func() any { return &world.Secret{} },
	get: func(c *call) any {
		if s := c.r().Secret(c.id); s != nil {
			return s
		}
		return nil
	},
	put: func(c *call, rec any) error { s := rec.(*world.Secret); c.r().Secrets[s.Name] = s; return nil },
	remove: func(c *call) error {
		s := c.r().Secret(c.id)
		switch {
		case s == nil:
		case c.old["recoveryWindowInDays"] == 0.0:
			delete(c.r().Secrets, s.Name)
		default:
			s.DeletedDate = world.CreateDate
		}
		return nil
	},
	create: func(c *call, rec any) error {
		s := rec.(*world.Secret)
		if old := c.r().Secrets[s.Name]; old != nil {
			if old.DeletedDate != "" { // terraform-provider-aws retries this for 2 minutes, then fails with it
				return smError("creating", "Secret", s.Name, "CreateSecret", "InvalidRequestException",
					"You can't create this secret because a secret with this name is already scheduled for deletion.")
			}
			return smError("creating", "Secret", s.Name, "CreateSecret", "ResourceExistsException",
				fmt.Sprintf("The operation failed because the secret %s already exists.", s.Name))
		}
		s.ARN = world.RegionARN("secretsmanager", c.region, "secret:"+s.Name+"-"+newUUID()[:6])
		return nil
	},
	notFound: func(c *call) error {
		return smError("updating", "Secret", c.id, "UpdateSecret", "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
	},
}

// secretVersion is the view of one version of a secret.
type secretVersion struct {
	ARN           string   `json:"arn"`
	SecretID      string   `json:"secretId"`
	VersionID     string   `json:"versionId"`
	SecretString  string   `json:"secretString"`
	SecretBinary  string   `json:"secretBinary"`
	VersionStages []string `json:"versionStages"`
}

// secretVersionType emulates aws:secretsmanager/secretVersion:SecretVersion
// (ID = "<secret ARN>|<version ID>"), following terraform-provider-aws
// internal/service/secretsmanager/secret_version.go: secretId, secretString
// and secretBinary are ForceNew; versionStages updates in place (default
// AWSCURRENT, which moves from the previous version, labelled AWSPREVIOUS).
// Delete removes the version's stages except AWSCURRENT, which cannot be
// removed: a current version stays. The secret string is stored in the
// world for tests to check; it is sensitive and never in an error.
var secretVersionType = &resourceType{
	token: "aws:secretsmanager/secretVersion:SecretVersion",
	fields: []field{
		str("secretId").required().forceNew(),
		str("secretString").forceNew().sensitive(),
		str("secretBinary").forceNew().sensitive(),
		strList("versionStages").set().computed(),
	},
	outputs: []string{"arn", "versionId"},
	check: func(in map[string]any, fails *checkFailures) {
		if in["secretString"] != nil && in["secretBinary"] != nil {
			fails.add("secretString", `"secret_string": conflicts with secret_binary`)
		}
	},
	record: func() any { return &secretVersion{} },
	get: func(c *call) any {
		arn, id, _ := strings.Cut(c.id, "|")
		if s := c.r().Secret(arn); s != nil && s.Versions[id] != nil {
			v := s.Versions[id]
			return &secretVersion{ARN: s.ARN, SecretID: s.ARN, VersionID: id, SecretString: v.SecretString,
				SecretBinary: v.SecretBinary, VersionStages: v.VersionStages}
		}
		return nil
	},
	create: func(c *call, rec any) error {
		v := rec.(*secretVersion)
		s := c.r().Secret(v.SecretID)
		if s == nil {
			return smError("putting", "Secret Value", v.SecretID, "PutSecretValue", "ResourceNotFoundException",
				"Secrets Manager can't find the specified secret.")
		}
		v.ARN, v.VersionID = s.ARN, newUUID()
		c.id = s.ARN + "|" + v.VersionID
		return nil
	},
	put: func(c *call, rec any) error {
		v := rec.(*secretVersion)
		s := c.r().Secret(strings.Split(c.id, "|")[0])
		if s == nil {
			return smError("updating", "Secret Version", c.id, "UpdateSecretVersionStage", "ResourceNotFoundException",
				"Secrets Manager can't find the specified secret.")
		}
		if len(v.VersionStages) == 0 {
			v.VersionStages = []string{"AWSCURRENT"}
		}
		if slices.Contains(v.VersionStages, "AWSCURRENT") {
			for id, other := range s.Versions {
				if id != v.VersionID && slices.Contains(other.VersionStages, "AWSCURRENT") {
					other.VersionStages = []string{"AWSPREVIOUS"}
				}
			}
		}
		if s.Versions == nil {
			s.Versions = map[string]*world.SecretVersion{}
		}
		s.Versions[v.VersionID] = &world.SecretVersion{VersionID: v.VersionID, SecretString: v.SecretString,
			SecretBinary: v.SecretBinary, VersionStages: v.VersionStages}
		return nil
	},
	remove: func(c *call) error {
		arn, id, _ := strings.Cut(c.id, "|")
		if s := c.r().Secret(arn); s != nil && s.Versions[id] != nil {
			if v := s.Versions[id]; slices.Contains(v.VersionStages, "AWSCURRENT") {
				v.VersionStages = []string{"AWSCURRENT"}
			} else {
				delete(s.Versions, id)
			}
		}
		return nil
	},
}
