// Runs TypeScript programs through the real Pulumi engine against the aws
// test double (tests/fakeaws), and reads what the double recorded: its fake
// account (world.json, per region; see tests/fakeaws/world) and the journal
// of calls that changed it.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack } from "@pulumi/pulumi/automation";

/** The region the stacks deploy to unless a test says otherwise. */
export const region = "us-east-1";

export interface WorldRepository {
    name: string;
    imageTagMutability: string;
    imageScanningConfiguration: { scanOnPush: boolean };
    tags: Record<string, string>;
    repositoryPolicy?: string;
    lifecyclePolicy?: string;
}

export class AwsWorld {
    constructor(readonly dir: string) {}

    private read(file: string): string | undefined {
        const p = path.join(this.dir, file);
        return fs.existsSync(p) ? fs.readFileSync(p, "utf8") : undefined;
    }

    /** Everything the fake account holds in one region, as world.json has it. */
    region(name: string): any {
        return JSON.parse(this.read("world.json") ?? "{}").regions?.[name] ?? {};
    }

    repositories(name: string): Record<string, WorldRepository> {
        return this.region(name).repositories ?? {};
    }

    roles(): string[] {
        return Object.keys(JSON.parse(this.read("world.json") ?? "{}").roles ?? {});
    }

    /** Every call that changed the account, as "op type id". */
    journal(): string[] {
        return (this.read("journal.jsonl") ?? "").split("\n").filter((l) => l.trim() !== "")
            .map((l) => JSON.parse(l)).map((e) => `${e.op} ${e.type} ${e.id}`);
    }
}

/** Where `make` put the CLI, the provider and the aws test double. */
export function locateBuild(): { cliRoot: string; providerDir: string; fakeAwsDir: string } {
    const root = path.resolve(__dirname, "..", "..", "..");
    const pulumi = process.env.ECRREPOS_PULUMI ?? path.join(root, "bin", "pulumi");
    return {
        cliRoot: path.dirname(path.dirname(pulumi)),
        providerDir: process.env.ECRREPOS_PROVIDER_DIR ?? path.join(root, "bin"),
        fakeAwsDir: process.env.ECRREPOS_FAKEAWS_DIR ?? path.join(root, "bin", "fakeaws"),
    };
}

/** Reads tests/testdata/<name>, shared with the Go and Python tests. */
export function testdata(name: string): any {
    return JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "testdata", name), "utf8"));
}

export interface TestStack {
    stack: Stack;
    /** The aws test double's account, fresh for this stack. */
    world: AwsWorld;
    /** The local file backend's directory, to inspect the stored state. */
    backend: string;
}

/**
 * A stack "dev" of projectName running program inline, with a local file
 * backend, the built ecrrepos provider and the aws test double as the aws
 * plugin. Every directory is new, so tests never share state.
 */
export async function newStack(projectName: string, program: PulumiFn): Promise<TestStack> {
    const build = locateBuild();
    const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `${projectName}-${name}-`));
    const world = new AwsWorld(tmp("world"));
    const backend = tmp("backend");
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "dev", projectName, program },
        {
            pulumiCommand: await PulumiCommand.get({ root: build.cliRoot, skipVersionCheck: true }),
            pulumiHome: tmp("home"),
            projectSettings: {
                name: projectName,
                runtime: "nodejs",
                plugins: { providers: [{ name: "ecrrepos", path: build.providerDir }, { name: "aws", path: build.fakeAwsDir }] },
            } as any, // `plugins` is valid in Pulumi.yaml but missing from the SDK's type
            envVars: {
                PULUMI_BACKEND_URL: "file://" + backend,
                PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
                PULUMI_SKIP_UPDATE_CHECK: "true",
                FAKEAWS_STATE_DIR: world.dir,
                AWS_REGION: region,
            },
        },
    );
    return { stack, world, backend };
}
