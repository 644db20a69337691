// Reads what the aws test double (tests/fakeaws) recorded: its fake account
// (world.json, per region; see tests/fakeaws/world) and the journal of calls
// that changed it.
import * as fs from "fs";
import * as path from "path";

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

    repositories(region: string): Record<string, WorldRepository> {
        const world = JSON.parse(this.read("world.json") ?? "{}");
        return world.regions?.[region]?.repositories ?? {};
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
