package provider

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestImageUri(t *testing.T) {
	t.Parallel()
	const url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api"
	digest := "sha256:" + strings.Repeat("0a", 32)
	uri, err := imageURI(ImageUriArgs{RepositoryUrl: url, Tag: ptr("v1.2.3")})
	require.NoError(t, err)
	assert.Equal(t, url+":v1.2.3", uri)
	uri, err = imageURI(ImageUriArgs{RepositoryUrl: url, Digest: &digest})
	require.NoError(t, err)
	assert.Equal(t, url+"@"+digest, uri)

	cases := []struct {
		name string
		args ImageUriArgs
		want string
	}{
		{"neither", ImageUriArgs{RepositoryUrl: url}, "tag: give a tag or a digest"},
		{"both", ImageUriArgs{RepositoryUrl: url, Tag: ptr("v1"), Digest: &digest}, "digest: give either tag or digest, not both"},
		{"bad tag", ImageUriArgs{RepositoryUrl: url, Tag: ptr("-v1")}, `tag: must be an image tag`},
		{"bad digest", ImageUriArgs{RepositoryUrl: url, Digest: ptr("sha256:abc")}, `digest: must be an image digest`},
		{"not a repository URL", ImageUriArgs{RepositoryUrl: "team/api", Tag: ptr("v1")}, `repositoryUrl: must be a repository URL`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := imageURI(tc.args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
