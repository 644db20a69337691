package lifecycle

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

const lp = `repositories["team/api"].lifecycle`

func ip(n int) *int { return &n }

// parsed returns the rules of p as ECR would read them: through the canonical
// text and Parse, so tests assert documents, not strings.
func parsed(t *testing.T, p *Policy) []PolicyRule {
	t.Helper()
	require.NotNil(t, p)
	q, err := Parse(p.JSON())
	require.NoError(t, err, p.JSON())
	return q.Rules
}

func expireRule(priority int, description string, sel Selection) PolicyRule {
	return PolicyRule{RulePriority: priority, Description: description, Selection: sel, Action: Action{Type: ActionExpire}}
}

func archiveRule(priority int, description string, sel Selection) PolicyRule {
	return PolicyRule{RulePriority: priority, Description: description, Selection: sel, Action: Action{Type: ActionTransition, TargetStorageClass: StorageClassArchive}}
}

func pulledDays(n int) Selection {
	return Selection{TagStatus: TagStatusAny, CountType: CountTypeSinceImagePulled, CountUnit: CountUnitDays, CountNumber: n}
}

func archivedDays(tagStatus string, n int) Selection {
	return Selection{TagStatus: tagStatus, StorageClass: StorageClassArchive, CountType: CountTypeSinceImageTransitioned, CountUnit: CountUnitDays, CountNumber: n}
}

func untaggedDays(n int) Selection {
	return Selection{TagStatus: TagStatusUntagged, CountType: CountTypeSinceImagePushed, CountUnit: CountUnitDays, CountNumber: n}
}

func taggedAllDays(n int) Selection {
	return Selection{TagStatus: TagStatusTagged, TagPatternList: []string{"*"}, CountType: CountTypeSinceImagePushed, CountUnit: CountUnitDays, CountNumber: n}
}

// taggedCount is keepLatest next to an untagged rule: every tagged image.
func taggedCount(n int) Selection {
	return Selection{TagStatus: TagStatusTagged, TagPatternList: []string{"*"}, CountType: CountTypeImageCountMoreThan, CountNumber: n}
}

func anyCount(n int) Selection {
	return Selection{TagStatus: TagStatusAny, CountType: CountTypeImageCountMoreThan, CountNumber: n}
}

func anyDays(n int) Selection {
	return Selection{TagStatus: TagStatusAny, CountType: CountTypeSinceImagePushed, CountUnit: CountUnitDays, CountNumber: n}
}

func prefixCount(n int, prefixes ...string) Selection {
	return Selection{TagStatus: TagStatusTagged, TagPrefixList: prefixes, CountType: CountTypeImageCountMoreThan, CountNumber: n}
}

func prefixDays(n int, prefixes ...string) Selection {
	return Selection{TagStatus: TagStatusTagged, TagPrefixList: prefixes, CountType: CountTypeSinceImagePushed, CountUnit: CountUnitDays, CountNumber: n}
}

func patternDays(n int, patterns ...string) Selection {
	return Selection{TagStatus: TagStatusTagged, TagPatternList: patterns, CountType: CountTypeSinceImagePushed, CountUnit: CountUnitDays, CountNumber: n}
}

func protectPrefix(priority int, p string) PolicyRule {
	return expireRule(priority, `Protect images with a tag starting with "`+p+`" (never expires)`, prefixDays(ProtectCountNumber, p))
}

func protectPattern(priority int, p string) PolicyRule {
	return expireRule(priority, `Protect images with a tag matching "`+p+`" (never expires)`, patternDays(ProtectCountNumber, p))
}

func dump(ps validate.Problems) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  ")
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	return b.String()
}

var base = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func daysAgo(d float64) time.Time { return base.Add(-time.Duration(d * float64(24*time.Hour))) }
