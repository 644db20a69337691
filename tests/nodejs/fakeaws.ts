// Reads what the aws test double (tests/fakeaws) recorded: the repositories in
// its fake account and the journal of calls that changed them.
import * as fs from "fs";
import * as path from "path";

export interface WorldRepository {
    name: string;
    imageTagMutability: string;
    scanOnPush: boolean;
    encryptionType: string;
    kmsKey?: string;
    tags?: Record<string, string>;
    repositoryPolicy?: string;
    lifecyclePolicy?: string;
}

export interface JournalEntry {
    op: string;
    type: string;
    id: string;
    urn: string;
    changed?: string[];
}

export class AwsWorld {
    constructor(readonly dir: string) {}

    repositories(): Record<string, WorldRepository> {
        const file = path.join(this.dir, "world.json");
        if (!fs.existsSync(file)) {
            return {};
        }
        return JSON.parse(fs.readFileSync(file, "utf8")).repositories ?? {};
    }

    roles(): string[] {
        const file = path.join(this.dir, "world.json");
        if (!fs.existsSync(file)) {
            return [];
        }
        return Object.keys(JSON.parse(fs.readFileSync(file, "utf8")).roles ?? {});
    }

    journal(): JournalEntry[] {
        const file = path.join(this.dir, "journal.jsonl");
        if (!fs.existsSync(file)) {
            return [];
        }
        return fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
    }

    /** The calls after the first n, as "op type id". */
    since(n: number): string[] {
        return this.journal().slice(n).map((e) => `${e.op} ${e.type} ${e.id}`);
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
