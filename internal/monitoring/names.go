package monitoring

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Names are what the physical names of a Registry's registry-wide children
// derive from: the Pulumi project, the stack and the Registry's name. Two
// stacks of one program in one account, or two Registries of one stack,
// never share a name (several of these resources are overwritten silently by
// a second owner: EventBridge rules, log resource policies, alarms,
// dashboards).
type Names struct {
	Project, Stack, Registry string
}

// physical joins parts with sep, replaces every character outside allowed
// with "-", and, when the result is longer than max, cuts it and ends it with
// a hash of the whole so that it stays unique.
func physical(max int, allowed func(rune) bool, sep string, parts ...string) string {
	full := strings.Join(parts, sep)
	name := strings.Map(func(r rune) rune {
		if allowed(r) {
			return r
		}
		return '-'
	}, full)
	if len(name) <= max {
		return name
	}
	sum := sha256.Sum256([]byte(full))
	suffix := "-" + hex.EncodeToString(sum[:])[:8]
	return name[:max-len(suffix)] + suffix
}

func alnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// ruleChars are the characters of an EventBridge rule name ([.\-_A-Za-z0-9]).
func ruleChars(r rune) bool { return alnum(r) || r == '.' || r == '-' || r == '_' }

// dashboardChars are the characters of a dashboard or SNS topic name.
func dashboardChars(r rune) bool { return alnum(r) || r == '-' || r == '_' }

// logGroupChars are the characters of a log group name.
func logGroupChars(r rune) bool { return ruleChars(r) || r == '/' || r == '#' }

// aliasChars are the characters after "alias/" in a KMS alias.
func aliasChars(r rune) bool { return alnum(r) || r == ':' || r == '/' || r == '_' || r == '-' }

// RuleName is the name of the EventBridge rule for purpose (at most 64
// characters).
func (n Names) RuleName(purpose string) string {
	return physical(64, ruleChars, "-", "ecr", n.Project, n.Stack, n.Registry, purpose)
}

// LogGroupName is the default name of the event log group: under
// /aws/events/, the prefix the EventBridge console lists log groups from.
func (n Names) LogGroupName() string {
	return physical(512, logGroupChars, "/", "/aws/events/ecr", n.Project, n.Stack, n.Registry)
}

// LogResourcePolicyName names the Registry's one CloudWatch Logs resource policy.
func (n Names) LogResourcePolicyName() string {
	return physical(255, ruleChars, "-", "ecr", n.Project, n.Stack, n.Registry, "events-to-logs")
}

// TopicName is the name of the alert topic the Registry creates.
func (n Names) TopicName() string {
	return physical(256, dashboardChars, "-", "ecr", n.Project, n.Stack, n.Registry, "alerts")
}

// DashboardName is the default name of the Registry's dashboard.
func (n Names) DashboardName() string {
	return physical(255, dashboardChars, "-", "ecr", n.Project, n.Stack, n.Registry)
}

// AlarmPrefix starts the name of every alarm of the Registry (the SNS topic
// policy lets CloudWatch publish for alarms under it).
func (n Names) AlarmPrefix() string {
	return physical(200, func(r rune) bool { return r > 0x1f && r != 0x7f && r != '*' && r != '?' }, "/", "ecr", n.Project, n.Stack, n.Registry) + "/"
}

// AlarmName is the CloudWatch name of an alarm (at most 255 characters).
func (n Names) AlarmName(key string) string {
	return physical(255, func(r rune) bool { return r > 0x1f && r != 0x7f }, "", n.AlarmPrefix(), key)
}

// DefaultAlias is the default alias of the key the Registry creates.
func (n Names) DefaultAlias() string {
	return "alias/" + physical(250, aliasChars, "/", "ecr", n.Project, n.Stack, n.Registry)
}
