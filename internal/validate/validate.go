// Package validate holds the ECR rules that Registry arguments are checked
// against before any resource is registered. It has no Pulumi dependency so the
// rules can be table-tested directly and reused for values that only become
// known later (outputs of other resources).
package validate

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Problem is one broken rule: the path of the offending field and a sentence
// saying what the rule is and what was given. A Warning is accepted but
// probably not what the user meant (it does nothing, or less than it seems);
// it never fails validation and is shown to the user instead.
type Problem struct {
	Path    string
	Message string
	Warning bool
}

func (p Problem) String() string {
	// Messages built for several paths may start with the field's own name
	// ("countNumber must be …"); at a path that already ends with it, the
	// name is said once.
	last := p.Path[strings.LastIndexAny(p.Path, ".")+1:]
	if i := strings.IndexByte(last, '['); i >= 0 {
		last = last[:i]
	}
	if rest, ok := strings.CutPrefix(p.Message, last+" "); ok && last != "" && strings.HasSuffix(p.Path, last) {
		return p.Path + ": " + rest
	}
	return p.Path + ": " + p.Message
}

// Problems collects every broken rule so a user sees all of them at once
// instead of fixing one per preview.
type Problems []Problem

// Addf records a problem at path.
func (ps *Problems) Addf(path, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Warnf records a warning at path.
func (ps *Problems) Warnf(path, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Message: fmt.Sprintf(format, args...), Warning: true})
}

// Add appends other problems.
func (ps *Problems) Add(other ...Problem) { *ps = append(*ps, other...) }

// Err returns nil when there are no errors (warnings do not count),
// otherwise an error listing them sorted by path and without repeats (a
// default inherited by many repositories is reported once), so the same
// arguments always give the same message.
func (ps Problems) Err(subject string) error {
	errs := ps.sortedUnique(false)
	if len(errs) == 0 {
		return nil
	}
	return &Error{Subject: subject, Problems: errs}
}

// Errors returns the problems that are not warnings.
func (ps Problems) Errors() Problems { return ps.sortedUnique(false) }

// Warnings returns the warnings, sorted by path and without repeats.
func (ps Problems) Warnings() Problems { return ps.sortedUnique(true) }

// Find returns the first problem (error or warning) at path whose message
// contains text, for tests and callers that look for one rule.
func (ps Problems) Find(path, text string) (Problem, bool) {
	for _, p := range ps {
		if p.Path == path && strings.Contains(p.Message, text) {
			return p, true
		}
	}
	return Problem{}, false
}

func (ps Problems) sortedUnique(warnings bool) Problems {
	if len(ps) == 0 { // the common case, on every resolve and apply
		return nil
	}
	var out Problems
	seen := map[Problem]bool{}
	for _, p := range ps {
		if p.Warning == warnings && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Error is returned when validation fails; it keeps the individual problems
// for callers (and tests) that want them.
type Error struct {
	Subject  string
	Problems Problems
}

func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return fmt.Sprintf("invalid %s: %s", e.Subject, e.Problems[0])
	}
	var b strings.Builder
	fmt.Fprintf(&b, "invalid %s (%d problems):", e.Subject, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Key renders a map key as a path element, e.g. Key("repositories", "team/api")
// is `repositories["team/api"]`.
func Key(path, key string) string { return path + "[" + strconv.Quote(key) + "]" }

// Locator gives the path of a field of the object being checked, so a
// problem can be reported where the value was written (a repository, or the
// defaults it inherited the value from). Field "" is the object itself.
type Locator func(field string) string

// Under is the Locator of an object written at path: every field lives below it.
func Under(path string) Locator {
	return func(field string) string { return Field(path, field) }
}

// Field appends a field name to a path.
func Field(path, name string) string {
	switch {
	case path == "":
		return name
	case name == "":
		return path
	}
	return path + "." + name
}

// OneOf checks an enumerated value.
func OneOf(path, got string, allowed ...string) Problems {
	if slices.Contains(allowed, got) {
		return nil
	}
	var ps Problems
	ps.Addf(path, "must be %s, got %q", orList(allowed), got)
	return ps
}

func orList(xs []string) string {
	switch len(xs) {
	case 0:
		return "nothing"
	case 1:
		return xs[0]
	case 2:
		return xs[0] + " or " + xs[1]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}
