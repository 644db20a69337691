package main

import (
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInvokes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	call := func(tok string, args map[string]any) map[string]any {
		resp, err := h.s.Invoke(p.InvokeRequest{Token: tokens.Type(tok), Args: mapFromGo(args)})
		require.NoError(t, err)
		return mapToGo(resp.Return)
	}
	assert.Equal(t, map[string]any{
		"accountId": "123456789012",
		"arn":       "arn:aws:iam::123456789012:user/fake",
		"id":        "123456789012",
		"userId":    "AIDAFAKEFAKEFAKEFAKE",
	}, call("aws:index/getCallerIdentity:getCallerIdentity", map[string]any{}))
	assert.Equal(t, map[string]any{
		"name":        testRegion,
		"id":          testRegion,
		"description": "fake region",
		"endpoint":    "ec2.eu-west-1.amazonaws.com",
	}, call("aws:index/getRegion:getRegion", map[string]any{}))
	assert.Equal(t, "ap-east-1", call("aws:index/getRegion:getRegion", map[string]any{"name": "ap-east-1"})["name"])
	assert.Equal(t, map[string]any{
		"partition":        "aws",
		"dnsSuffix":        "amazonaws.com",
		"id":               "aws",
		"reverseDnsPrefix": "com.amazonaws",
	}, call("aws:index/getPartition:getPartition", map[string]any{}))

	_, err := h.s.Invoke(p.InvokeRequest{Token: "aws:index/getArn:getArn", Args: property.Map{}})
	assert.ErrorContains(t, err, "not emulated")
	_, err = h.s.Check(p.CheckRequest{Urn: urnOf("aws:s3/bucket:Bucket", "b")})
	assert.ErrorContains(t, err, "not emulated")
}
