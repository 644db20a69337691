package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

func kmsError(verb, what, id, op, code, msg string) error {
	return fmt.Errorf("%s KMS %s (%s): %s", verb, what, id, awsError("KMS", 400, op, code, msg))
}

// keyType emulates aws:kms/key:Key (ID = key ID), following
// terraform-provider-aws internal/service/kms/key.go: customerMasterKeySpec,
// keyUsage, multiRegion, customKeyStoreId and xksKeyId are ForceNew, the rest
// updates in place. Like KMS, a key policy naming a principal that does not
// exist is rejected. Delete schedules the key for deletion
// (deletionWindowInDays): it is then gone for Pulumi, and aliases cannot
// point at it.
var keyType = &resourceType{
	token: "aws:kms/key:Key",
	fields: []field{
		str("description").valid(lenBetween(0, 8192)),
		jsonStr("policy").computed(),
		str("keyUsage").forceNew().def("ENCRYPT_DECRYPT").oneOf("ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"),
		str("customerMasterKeySpec").forceNew().def("SYMMETRIC_DEFAULT").oneOf("SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072",
			"RSA_4096", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
			"ECC_SECG_P256K1", "SM2"),
		boolean("enableKeyRotation").def(false),
		num("rotationPeriodInDays").computed().valid(intBetween(90, 2560)),
		num("deletionWindowInDays").stateOnly().valid(intBetween(7, 30)),
		boolean("isEnabled").def(true),
		boolean("multiRegion").forceNew().computed(),
		str("customKeyStoreId").forceNew(),
		str("xksKeyId").forceNew(),
		boolean("bypassPolicyLockoutSafetyCheck").def(false),
		tags(),
	},
	outputs: []string{"arn", "keyId"},
	check: func(in map[string]any, fails *checkFailures) {
		if in["rotationPeriodInDays"] != nil && in["enableKeyRotation"] == nil {
			fails.add("rotationPeriodInDays", `"rotation_period_in_days": all of `+"`enable_key_rotation,rotation_period_in_days`"+` must be specified`)
		}
	},
	records: func(c *call) any { return c.r().Keys },
	idKey:   "keyId",
	validate: func(c *call, rec any) error {
		k := rec.(*world.Key)
		if k.Policy != "" && missingPrincipal(c.w, k.Policy) != "" {
			return kmsError("putting", "Key", k.KeyID, "PutKeyPolicy", "MalformedPolicyDocumentException",
				"Policy contains a statement with one or more invalid principals.")
		}
		return nil
	},
	create: func(_ *call, rec any) error { rec.(*world.Key).KeyID = newUUID(); return nil },
	get: func(c *call) any {
		if k := c.r().Keys[c.id]; k != nil && k.KeyState != "PendingDeletion" {
			return k
		}
		return nil
	},
	remove: func(c *call) error {
		if k := c.r().Keys[c.id]; k != nil {
			k.KeyState, k.IsEnabled = "PendingDeletion", false
		}
		return nil
	},
	notFound: func(c *call) error {
		return kmsError("updating", "Key", c.id, "DescribeKey", "NotFoundException", fmt.Sprintf("Key '%s' does not exist", c.id))
	},
}

// aliasNameRE is terraform-provider-aws's kms validNameForResource.
var aliasNameRE = regexp.MustCompile(`^(alias/)[a-zA-Z0-9:/_-]+$`)

func validAliasName(name string, v any) string {
	s, _ := v.(string)
	if strings.HasPrefix(s, "alias/aws") {
		return fmt.Sprintf("%s cannot begin with reserved AWS CMK prefix 'alias/aws', got %s", name, s)
	}
	return matches(aliasNameRE)(name, v)
}

// aliasType emulates aws:kms/alias:Alias (ID = name), following
// terraform-provider-aws internal/service/kms/alias.go: name and namePrefix
// are ForceNew (they must start with alias/ and not alias/aws); retargeting
// targetKeyId updates in place. The target key must exist; a name that exists
// fails with AlreadyExistsException.
var aliasType = &resourceType{
	token: "aws:kms/alias:Alias",
	fields: []field{
		str("name").forceNew().computed().autoname(255).valid(validAliasName),
		str("namePrefix").forceNew().stateOnly().valid(validAliasName),
		str("targetKeyId").required(),
	},
	outputs: []string{"arn", "targetKeyArn"},
	records: func(c *call) any { return c.r().Aliases },
	idKey:   "name",
	validate: func(c *call, rec any) error {
		a := rec.(*world.Alias)
		verb, op := "creating", "CreateAlias"
		if c.id != "" {
			verb, op = "updating", "UpdateAlias"
		}
		switch key := c.r().Key(a.TargetKeyID); {
		case key == nil:
			return kmsError(verb, "Alias", a.Name, op, "NotFoundException", fmt.Sprintf("Key '%s' does not exist", a.TargetKeyID))
		case key.KeyState == "PendingDeletion":
			return kmsError(verb, "Alias", a.Name, op, "KMSInvalidStateException", fmt.Sprintf("%s is pending deletion.", key.ARN))
		}
		return nil
	},
	create: func(c *call, rec any) error {
		if a := rec.(*world.Alias); c.r().Aliases[a.Name] != nil {
			return kmsError("creating", "Alias", a.Name, "CreateAlias", "AlreadyExistsException",
				fmt.Sprintf("An alias with the name %s already exists", world.RegionARN("kms", c.region, a.Name)))
		}
		return nil
	},
	notFound: func(c *call) error {
		return kmsError("updating", "Alias", c.id, "UpdateAlias", "NotFoundException", fmt.Sprintf("Alias %s is not found.", c.id))
	},
}
