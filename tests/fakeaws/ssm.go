package main

import (
	"fmt"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

// parameterType emulates aws:ssm/parameter:Parameter (ID = name), following
// terraform-provider-aws internal/service/ssm/parameter.go: name and dataType
// are ForceNew, the rest updates in place (PutParameter with Overwrite, which
// bumps the version). Create sends overwrite=false unless the program sets
// overwrite, so creating a parameter whose name exists fails with
// ParameterAlreadyExists: a cross-stack owner lock.
var parameterType = &resourceType{
	token: "aws:ssm/parameter:Parameter",
	fields: []field{
		str("name").forceNew().autoname(255).valid(lenBetween(1, 2048)),
		str("type").required().oneOf("String", "StringList", "SecureString"),
		str("value").sensitive().computed(),
		str("insecureValue").computed(),
		str("arn").computed(),
		str("description").valid(lenBetween(0, 1024)),
		str("allowedPattern").valid(lenBetween(0, 1024)),
		str("dataType").forceNew().computed().oneOf("aws:ec2:image", "aws:ssm:integration", "text"),
		str("keyId").computed(),
		str("tier").computed().oneOf("Standard", "Advanced", "Intelligent-Tiering"),
		boolean("overwrite").stateOnly(),
		tags(),
	},
	outputs: []string{"version"},
	check: func(in map[string]any, fails *checkFailures) {
		if (in["value"] == nil) == (in["insecureValue"] == nil) {
			fails.add("value", `"value": one of `+"`insecure_value,value`"+` must be specified`)
		}
	},
	records: func(c *call) any { return c.r().Parameters },
	idKey:   "name",
	create: func(c *call, rec any) error {
		p := rec.(*world.Parameter)
		if old := c.r().Parameters[p.Name]; old != nil {
			if overwrite, _ := c.in["overwrite"].(bool); !overwrite {
				return fmt.Errorf("creating SSM Parameter (%s): %s", p.Name, awsError("SSM", 400, "PutParameter", "ParameterAlreadyExists",
					"The parameter already exists. To overwrite this value, set the overwrite option in the request to true."))
			}
			p.Version = old.Version + 1
		}
		return nil
	},
	update: func(c *call, rec any) error { // a change of tags alone is no new version
		for _, k := range []string{"value", "insecureValue", "type", "description", "allowedPattern", "keyId", "tier"} {
			if c.in[k] != nil && c.in[k] != c.old[k] {
				rec.(*world.Parameter).Version++
				break
			}
		}
		return nil
	},
	notFound: func(c *call) error {
		return fmt.Errorf("updating SSM Parameter (%s): %s", c.id, awsError("SSM", 400, "PutParameter", "ParameterNotFound", ""))
	},
}
