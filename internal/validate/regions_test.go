package validate

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRegion(t *testing.T) {
	t.Parallel()
	for _, r := range []string{"us-east-1", "eu-central-2", "ap-southeast-7", "mx-central-1", "cn-north-1", "us-gov-west-1", "eusc-de-east-1"} {
		assert.Empty(t, Region("r", r), r)
	}
	assert.Contains(t, Region("r", "us-east-7")[0].String(), "r: is not an AWS Region known to ecrrepos")
	assert.Contains(t, Region("r", "eu-wset-1")[0].String(), "did you mean eu-west-1?")
	assert.Contains(t, Region("r", "US-EAST-1")[0].String(), "must be an AWS Region name such as us-east-1")
	assert.Equal(t, "aws-cn", RegionPartition("cn-northwest-1"))
	assert.Equal(t, "aws", RegionPartition("il-central-1"))
	assert.Equal(t, "", RegionPartition("moon-1"))
	assert.IsIncreasing(t, KnownRegions())
}

func TestAccountID(t *testing.T) {
	t.Parallel()
	assert.Empty(t, AccountID("a", "123456789012"))
	assert.Equal(t, `a: must be a 12-digit AWS account ID, got "12345678901"`, AccountID("a", "12345678901")[0].String())
}
