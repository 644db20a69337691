// Command readme extracts the code snippets of README.md (and of the other
// Markdown a user reads, such as the Registry's description) so that `make
// test` compiles every one of them: TypeScript with tsc --strict, Python with
// mypy --strict, Go with go vet. An example that no longer compiles fails the
// build instead of misleading a user.
//
//	go run ./tests/readme <out-dir> README.md [more.md ...]
//
// It writes <out-dir>/ts/snippet_NN.ts, <out-dir>/python/snippet_NN.py and
// <out-dir>/go/snippet_NN/main.go. A Go snippet that is not a whole program
// is the body of a pulumi.Run function; the imports it uses are added.
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: readme <out-dir> <file.md>...")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "readme: %v\n", err)
		os.Exit(1)
	}
}

type snippet struct {
	file string
	lang string
	line int
	code string
}

func run(out string, files []string) error {
	var snippets []snippet
	for _, file := range files {
		found, err := extract(file)
		if err != nil {
			return err
		}
		snippets = append(snippets, found...)
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	counts := map[string]int{}
	for i, s := range snippets {
		name := fmt.Sprintf("snippet_%02d", i+1)
		header := fmt.Sprintf("%s line %d", s.file, s.line)
		var path, text string
		switch s.lang {
		case "ts", "typescript":
			path, text = filepath.Join(out, "ts", name+".ts"), "// "+header+"\n"+withImports(s.code, tsImports)
		case "python":
			path, text = filepath.Join(out, "python", name+".py"), "# "+header+"\n"+withImports(s.code, pythonImports)
		case "go":
			path, text = filepath.Join(out, "go", name, "main.go"), "// "+header+"\n"+goProgram(s.code)
		default:
			continue
		}
		counts[s.lang]++
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("snippets of %s: %d TypeScript, %d Python, %d Go\n", strings.Join(files, ", "), counts["ts"]+counts["typescript"], counts["python"], counts["go"])
	return nil
}

// extract returns the fenced code blocks of a Markdown file, with their
// language and the line they start on; blocks indented in a list count too.
func extract(path string) ([]snippet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	var (
		out    []snippet
		cur    *snippet
		indent string
		lines  []string
	)
	scanner := bufio.NewScanner(f)
	for n := 1; scanner.Scan(); n++ {
		line := scanner.Text()
		trimmed := strings.TrimLeft(line, " ")
		if cur == nil {
			if lang, ok := strings.CutPrefix(trimmed, "```"); ok && lang != "" {
				cur = &snippet{file: path, lang: lang, line: n}
				indent = line[:len(line)-len(trimmed)]
				lines = nil
			}
			continue
		}
		if trimmed == "```" {
			cur.code = strings.Join(lines, "\n") + "\n"
			out = append(out, *cur)
			cur = nil
			continue
		}
		lines = append(lines, strings.TrimPrefix(line, indent))
	}
	return out, scanner.Err()
}

// A TypeScript or Python snippet that imports nothing is an excerpt of a
// program with the usual imports; a module that imports nothing itself gets
// them (and TypeScript's `export {}`, so each snippet is a module of its own).
const (
	tsImports     = "import * as pulumi from \"@pulumi/pulumi\";\nimport * as aws from \"@pulumi/aws\";\nimport * as ecrrepos from \"pulumi-ecrrepos\";\nexport {};\n"
	pythonImports = "import pulumi\nimport pulumi_ecrrepos as ecrrepos\n"
)

func withImports(code, imports string) string {
	if regexp.MustCompile(`(?m)^(import|from) `).MatchString(code) {
		return code
	}
	return imports + code
}

// goImports are the packages a Go snippet body may use, by the name it uses.
var goImports = []struct{ name, path string }{
	{"ecrrepos", "github.com/ecrrepos/pulumi-ecrrepos/sdk/go/ecrrepos"},
	{"iam", "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"},
	{"ecs", "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"},
	{"lambda", "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"},
	{"kms", "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"},
	{"aws", "github.com/pulumi/pulumi-aws/sdk/v6/go/aws"},
}

// goProgram makes a whole program of a snippet that is the body of a
// pulumi.Run function.
func goProgram(code string) string {
	if strings.HasPrefix(strings.TrimSpace(code), "package ") {
		return code
	}
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n\t\"github.com/pulumi/pulumi/sdk/v3/go/pulumi\"\n")
	for _, imp := range goImports {
		if regexp.MustCompile(`\b` + imp.name + `\.[A-Z]`).MatchString(code) {
			fmt.Fprintf(&b, "\t%q\n", imp.path)
		}
	}
	b.WriteString(")\n\nfunc main() {\n\tpulumi.Run(func(ctx *pulumi.Context) error {\n")
	for line := range strings.SplitSeq(strings.TrimRight(code, "\n"), "\n") {
		b.WriteString("\t\t" + line + "\n")
	}
	lines := strings.Split(strings.TrimSpace(code), "\n")
	if !strings.HasPrefix(strings.TrimSpace(lines[len(lines)-1]), "return") {
		b.WriteString("\t\treturn nil\n")
	}
	b.WriteString("\t})\n}\n")
	return b.String()
}
