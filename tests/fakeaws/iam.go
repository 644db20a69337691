package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

// roleType emulates aws:iam/role:Role (ID = name), so that a program can
// create a role and grant it access in a repository policy (ECR rejects
// principals that do not exist). It follows aws_iam_role in
// terraform-provider-aws internal/service/iam/role.go; pulumi-aws v6 adds
// AutoName("name", 64) and accepts an object assumeRolePolicy:
//
//	name, name_prefix      Optional, Computed, ForceNew       -> replace
//	path                   Default "/", ForceNew              -> replace
//	assume_role_policy     Required, equivalent JSON no diff  -> update (UpdateAssumeRolePolicy)
//	description            0-1000 characters                  -> update
//	max_session_duration   Default 3600, 3600-43200           -> update
//	force_detach_policies  Default false (state only)         -> update
//	permissions_boundary, tags                                -> update
//
// inline_policy and managed_policy_arns are not emulated.
var roleType = &resourceType{
	token: "aws:iam/role:Role",
	fields: []field{
		str("name").forceNew().computed().autoname(64).valid(lenBetween(1, 64)).valid(matches(roleNameRE)),
		str("namePrefix").forceNew().stateOnly().valid(lenBetween(1, 38)).valid(matches(roleNameRE)),
		str("path").def("/").forceNew().valid(lenBetween(0, 512)),
		doc("assumeRolePolicy").required(),
		str("description").valid(lenBetween(0, 1000)),
		num("maxSessionDuration").def(3600.0).valid(intBetween(3600, 43200)),
		boolean("forceDetachPolicies").def(false).stateOnly(),
		str("permissionsBoundary"),
		tags(),
		objList("inlinePolicies", str("name"), str("policy")).notEmulated(),
		strList("managedPolicyArns").notEmulated(),
	},
	outputs: []string{"arn", "uniqueId", "createDate"},
	records: func(c *call) any { return c.w.Roles },
	idKey:   "name",
	create: func(c *call, rec any) error {
		r := rec.(*world.Role)
		fail := func(status int, code, msg string) error {
			return fmt.Errorf("creating IAM Role (%s): %s", r.Name, awsError("IAM", status, "CreateRole", code, msg))
		}
		if !rolePathRE.MatchString(r.Path) {
			return fail(400, "ValidationError", "The specified value for path is invalid. "+
				"It must begin and end with / and contain only alphanumeric characters and/or / characters.")
		}
		for name := range c.w.Roles { // role names are unique case-insensitively
			if strings.EqualFold(name, r.Name) {
				return fail(409, "EntityAlreadyExists", fmt.Sprintf("Role with name %s already exists.", r.Name))
			}
		}
		return nil
	},
	notFound: func(c *call) error {
		return fmt.Errorf("updating IAM Role (%s): %s", c.id, awsError("IAM", 404, "UpdateRole", "NoSuchEntity",
			fmt.Sprintf("The role with name %s cannot be found.", c.id)))
	},
}

// validResourceName in terraform-provider-aws internal/service/iam/validate.go.
var roleNameRE = regexp.MustCompile(`^[\w+=,.@-]*$`)

// IAM's CreateRole constraint on Path.
var rolePathRE = regexp.MustCompile(`^(/|/[\x{21}-\x{7E}]+/)$`)
