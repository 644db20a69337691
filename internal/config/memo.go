package config

import (
	"strconv"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/lifecycle"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// memo keeps what one Resolve has already built: many repositories share
// their settings (the same grants, the same inherited lifecycle), and the
// documents depend only on the settings, not on the repository. Only results
// without problems are kept, so every problem is still reported at its own
// path.
type memo struct {
	documents map[string]string // accessKey -> repository policy
	checked   map[string]bool   // accessKey -> its fields passed, before the environment is known
	policies  map[*lifecycle.Spec]*lifecycle.Policy
	byDefault *lifecycle.Policy // the policy of repositories that set no lifecycle
}

func newMemo() *memo {
	return &memo{documents: map[string]string{}, checked: map[string]bool{}, policies: map[*lifecycle.Spec]*lifecycle.Policy{}}
}

// lifecycle builds a repository's lifecycle policy (resolveLifecycle) once per
// distinct lifecycle object.
func (m *memo) lifecycle(path string, own, inherited *lifecycle.Spec) (*lifecycle.Policy, validate.Problems) {
	spec := own
	if spec == nil {
		spec = inherited
	}
	if spec == nil && m.byDefault != nil {
		return m.byDefault, nil
	}
	if p, ok := m.policies[spec]; ok && spec != nil && own == nil {
		return p, nil
	}
	p, ps := resolveLifecycle(path, own, inherited)
	if len(ps) == 0 {
		switch {
		case spec == nil:
			m.byDefault = p
		case own == nil: // inherited: the same object for every repository
			m.policies[spec] = p
		}
	}
	return p, ps
}

// accessKey identifies settings that give the same repository policy.
func accessKey(a policy.Access) string {
	var b strings.Builder
	for _, l := range [][]string{
		{a.Partition, a.RegistryID, strconv.FormatBool(a.StrictDeny), strconv.FormatBool(a.AllowAnyAwsAccountPull), a.Policy},
		a.PullAccountIDs, a.PushAccountIDs, a.PullPrincipalArns, a.PushPrincipalArns, a.PullOrganizationIDs,
		a.PushOrganizationIDs, a.PullOrganizationPaths, a.LambdaPullAccountIDs, a.AllowOnlyPrincipals, a.PolicyStatements,
	} {
		b.WriteString(strconv.Itoa(len(l)))
		for _, s := range l {
			b.WriteByte(0)
			b.WriteString(s)
		}
		b.WriteByte(1)
	}
	return b.String()
}
