package validate

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// ECR limits, from the ECR API model (see README "Validation").
const (
	RepositoryNameMin = 2
	RepositoryNameMax = 256
	MaxTags           = 50
	MaxTagKeyLength   = 128
	MaxTagValueLength = 256
)

var (
	// The service checks this expression, not the prose in the API docs (which
	// claims a name must start with a letter).
	repositoryNameRe = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`)
	// The start of a repository name: segments as above, and optionally the
	// separator the names continue with.
	namePrefixRe = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*[._/-]?$`)
	// A key ARN in any partition; a multi-Region key id starts with mrk-.
	kmsKeyArnRe = regexp.MustCompile(`^arn:aws(?:-[a-z]+)*:kms:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:key/[A-Za-z0-9-]{1,256}$`)
	kmsAliasRe  = regexp.MustCompile(`^(?:arn:aws(?:-[a-z]+)*:kms:[^:]*:\d{12}:)?alias/`)
	// Tag characters AWS accepts: letters, digits, spaces and _ . : / = + - @
	tagCharsRe = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

// RepositoryName checks an ECR repository name.
func RepositoryName(path, name string) Problems {
	var ps Problems
	if n := len(name); n < RepositoryNameMin || n > RepositoryNameMax {
		ps.Addf(path, "repository name must be %d to %d characters long, got %d (%q)", RepositoryNameMin, RepositoryNameMax, n, name)
	}
	if !isRepositoryName(name) {
		ps.Addf(path, "repository name %q must be lowercase letters and digits, separated by single '.', '_' or '-', in '/'-separated segments (ECR pattern %s)", name, repositoryNameRe.String())
	}
	return ps
}

// isRepositoryName reports whether name matches repositoryNameRe: segments
// separated by single '/', each of lowercase letters and digits joined by
// single '.', '_' or '-'. Written out because it runs for every repository
// twice per construction, where the regular expression was a fifth of the
// resolver's time; FuzzRepositoryNameMatchesTheRegexp keeps the two equal.
func isRepositoryName(name string) bool {
	prevAlnum := false // the previous byte was a letter or digit
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			prevAlnum = true
		case c == '.', c == '_', c == '-', c == '/':
			if !prevAlnum {
				return false
			}
			prevAlnum = false
		default:
			return false
		}
	}
	return prevAlnum
}

// NamePrefix checks a prefix put before repository names: what a repository
// name may start with, so that ECR's rules on the whole name (checked with
// each repository) are the only ones left.
func NamePrefix(path, prefix string) Problems {
	var ps Problems
	switch {
	case prefix == "":
		ps.Addf(path, "must not be empty: leave it out for names without a prefix")
	case len(prefix) > RepositoryNameMax-1:
		ps.Addf(path, "must leave room for a repository name of at most %d characters, got %d characters", RepositoryNameMax, len(prefix))
	case !namePrefixRe.MatchString(prefix):
		ps.Addf(path, "must be the start of an ECR repository name: lowercase letters and digits, separated by single '.', '_', '-' or '/', "+
			"optionally ending with one of them (for example \"staging/\" or \"staging-\"), got %q", prefix)
	}
	return ps
}

// KmsKeyArn checks that a KMS key is referenced by its key ARN. Aliases and bare
// key ids are refused: ECR stores the resolved key ARN, so anything else makes
// every later preview show a change that replaces the repository.
func KmsKeyArn(path, arn string) Problems {
	var ps Problems
	switch {
	case arn == "":
		ps.Addf(path, "must be a KMS key ARN, got an empty string")
	case kmsAliasRe.MatchString(arn):
		ps.Addf(path, "must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>), not an alias: ECR records the key ARN, so an alias would replace the repository on every update; got %q", arn)
	case !kmsKeyArnRe.MatchString(arn):
		ps.Addf(path, "must be a KMS key ARN of the form arn:<partition>:kms:<region>:<account>:key/<key-id>, got %q", arn)
	}
	return ps
}

// TagKey checks one tag key.
func TagKey(path, key string) Problems {
	var ps Problems
	p := Key(path, key)
	switch n := utf8.RuneCountInString(key); {
	case n == 0:
		ps.Addf(p, "tag keys must not be empty")
	case n > MaxTagKeyLength:
		ps.Addf(p, "tag keys must be at most %d characters, got %d", MaxTagKeyLength, n)
	}
	if strings.HasPrefix(strings.ToLower(key), "aws:") {
		ps.Addf(p, "tag keys must not start with the reserved prefix \"aws:\"")
	}
	if !tagCharsRe.MatchString(key) {
		ps.Addf(p, "tag keys may contain only letters, digits, spaces and _ . : / = + - @")
	}
	return ps
}

// TagValue checks one tag value.
func TagValue(path, key, value string) Problems {
	var ps Problems
	p := Key(path, key)
	if n := utf8.RuneCountInString(value); n > MaxTagValueLength {
		ps.Addf(p, "tag values must be at most %d characters, got %d", MaxTagValueLength, n)
	}
	if !tagCharsRe.MatchString(value) {
		ps.Addf(p, "tag values may contain only letters, digits, spaces and _ . : / = + - @, got %q", value)
	}
	return ps
}

// TagCount checks the number of tags one resource ends up with.
func TagCount(path string, n int) Problems {
	var ps Problems
	if n > MaxTags {
		ps.Addf(path, "at most %d tags per resource, got %d after merging registry, defaults and repository tags", MaxTags, n)
	}
	return ps
}

var (
	// A Docker/OCI tag: https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
	imageTagRe = regexp.MustCompile(`^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$`)
	// A content digest ECR reports: sha256 (ECR's only algorithm) or sha512.
	imageDigestRe = regexp.MustCompile(`^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$`)
	// <registry host>/<repository name>, the form of a repositoryUrl.
	repositoryURLRe = regexp.MustCompile(`^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::[0-9]+)?/(.+)$`)
)

// ImageTag checks an image tag.
func ImageTag(path, tag string) Problems {
	var ps Problems
	if !imageTagRe.MatchString(tag) {
		ps.Addf(path, "must be an image tag: 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-', got %q", tag)
	}
	return ps
}

// ImageDigest checks an image digest.
func ImageDigest(path, digest string) Problems {
	var ps Problems
	if !imageDigestRe.MatchString(digest) {
		ps.Addf(path, "must be an image digest sha256:<64 lowercase hex digits>, got %q", digest)
	}
	return ps
}

// RepositoryURL checks a repository URL (<registry host>/<repository>).
func RepositoryURL(path, url string) Problems {
	m := repositoryURLRe.FindStringSubmatch(url)
	if m == nil {
		var ps Problems
		ps.Addf(path, "must be a repository URL <account>.dkr.ecr.<region>.amazonaws.com/<repository>, got %q", url)
		return ps
	}
	return RepositoryName(path, m[1])
}
