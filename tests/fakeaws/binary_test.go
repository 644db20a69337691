package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

// TestBinaryOverGRPC builds the plugin binary and drives it over gRPC the way
// the engine does (attach mode: the plugin prints its port), checking that
// main() wires everything up, that config is read from Configure and
// $AWS_REGION, and that the world and journal land in $FAKEAWS_STATE_DIR.
func TestBinaryOverGRPC(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the plugin binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "pulumi-resource-aws")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())

	stateDir := filepath.Join(dir, "state")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(os.Environ(), world.StateDirEnv+"="+stateDir, "AWS_REGION=ap-southeast-2")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	port, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)

	conn, err := grpc.NewClient("127.0.0.1:"+strings.TrimSpace(port),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer func() { _ = conn.Close() }()
	client := pulumirpc.NewResourceProviderClient(conn)

	marshal := func(m map[string]any) *structpb.Struct {
		s, err := plugin.MarshalProperties(resource.NewPropertyMapFromMap(m),
			plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true})
		require.NoError(t, err)
		return s
	}
	unmarshal := func(s *structpb.Struct) resource.PropertyMap {
		m, err := plugin.UnmarshalProperties(s, plugin.MarshalOptions{KeepUnknowns: true})
		require.NoError(t, err)
		return m
	}

	_, err = client.CheckConfig(ctx, &pulumirpc.CheckRequest{Urn: "urn:pulumi:s::p::pulumi:providers:aws::default",
		News: marshal(map[string]any{"region": "x"})})
	assert.Equal(t, codes.Unimplemented, status.Code(err), "the engine then accepts the config as given")

	// No region in config: $AWS_REGION applies; other keys are ignored.
	_, err = client.Configure(ctx, &pulumirpc.ConfigureRequest{
		Args:           marshal(map[string]any{"version": "6.83.2", "skipCredentialsValidation": "true"}),
		AcceptSecrets:  true,
		SendsOldInputs: true, SendsOldInputsToDelete: true,
	})
	require.NoError(t, err)

	urn := string(urnOf(tokRepository, "smoke"))
	check, err := client.Check(ctx, &pulumirpc.CheckRequest{Urn: urn, Olds: marshal(nil),
		News: marshal(map[string]any{"name": "smoke", "tags": map[string]any{"owner": "tests"}})})
	require.NoError(t, err)
	require.Empty(t, check.Failures)

	preview, err := client.Create(ctx, &pulumirpc.CreateRequest{Urn: urn, Properties: check.Inputs, Preview: true})
	require.NoError(t, err)
	assert.True(t, unmarshal(preview.Properties)["repositoryUrl"].IsComputed())

	created, err := client.Create(ctx, &pulumirpc.CreateRequest{Urn: urn, Properties: check.Inputs})
	require.NoError(t, err)
	assert.Equal(t, "smoke", created.Id)
	assert.Equal(t, "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/smoke",
		unmarshal(created.Properties)["repositoryUrl"].StringValue())

	news, err := client.Check(ctx, &pulumirpc.CheckRequest{Urn: urn, Olds: check.Inputs,
		News: marshal(map[string]any{"name": "smoke", "imageTagMutability": "IMMUTABLE"})})
	require.NoError(t, err)
	diff, err := client.Diff(ctx, &pulumirpc.DiffRequest{Urn: urn, Id: "smoke", Olds: created.Properties,
		OldInputs: check.Inputs, News: news.Inputs})
	require.NoError(t, err)
	assert.Equal(t, pulumirpc.DiffResponse_DIFF_SOME, diff.Changes)
	assert.Empty(t, diff.Replaces)
	assert.ElementsMatch(t, []string{"imageTagMutability", "tags"}, diff.Diffs)

	renamed, err := client.Check(ctx, &pulumirpc.CheckRequest{Urn: urn, Olds: check.Inputs,
		News: marshal(map[string]any{"name": resource.MakeComputed(resource.NewStringProperty(""))})})
	require.NoError(t, err)
	diff, err = client.Diff(ctx, &pulumirpc.DiffRequest{Urn: urn, Id: "smoke", Olds: created.Properties,
		OldInputs: check.Inputs, News: renamed.Inputs})
	require.NoError(t, err)
	assert.Equal(t, []string{"name"}, diff.Replaces, "an unknown name forces replacement")

	inv, err := client.Invoke(ctx, &pulumirpc.InvokeRequest{Tok: "aws:index/getRegion:getRegion", Args: marshal(nil)})
	require.NoError(t, err)
	assert.Equal(t, "ap-southeast-2", unmarshal(inv.Return)["name"].StringValue())

	_, err = client.Delete(ctx, &pulumirpc.DeleteRequest{Urn: urn, Id: "smoke", Properties: created.Properties})
	require.NoError(t, err)

	journal, err := world.ReadJournal(stateDir)
	require.NoError(t, err)
	assert.Equal(t, []world.JournalEntry{
		{Op: "create", Type: tokRepository, ID: "smoke", URN: urn, Region: "ap-southeast-2"},
		{Op: "delete", Type: tokRepository, ID: "smoke", URN: urn, Region: "ap-southeast-2"},
	}, journal)
}
