package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The README's reference tables are written from schema.json, so the text a
// user reads in the README is the text their IDE shows: one source, the
// provider's Annotate descriptions. A table is written between
//
//	<!-- schema table: <what> -->
//	<!-- end of schema table -->
//
// where <what> is `Registry inputs`, `Registry outputs`, `function <name>`
// (its arguments and results) or the name of an object type (`Repository`,
// `Access`, …). Everything outside the markers is left alone.
const (
	tableStart = "<!-- schema table: "
	tableEnd   = "<!-- end of schema table -->"
	markerEnd  = " -->"
)

// writeReadme rewrites the schema tables of the Markdown file at mdPath.
func writeReadme(schemaPath, mdPath string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("reading %s: %w", schemaPath, err)
	}
	md, err := os.ReadFile(mdPath)
	if err != nil {
		return err
	}
	out, err := renderSchemaTables(string(md), spec)
	if err != nil {
		return fmt.Errorf("%s: %w", mdPath, err)
	}
	if out == string(md) {
		return nil
	}
	return os.WriteFile(mdPath, []byte(out), 0o644)
}

// renderSchemaTables returns md with every schema table written afresh.
func renderSchemaTables(md string, spec schema.PackageSpec) (string, error) {
	var out strings.Builder
	rest := md
	for {
		start := strings.Index(rest, tableStart)
		if start < 0 {
			out.WriteString(rest)
			return out.String(), nil
		}
		close := strings.Index(rest[start:], markerEnd)
		if close < 0 {
			return "", fmt.Errorf("a %q marker is not closed with %q", tableStart, markerEnd)
		}
		what := rest[start+len(tableStart) : start+close]
		afterMarker := start + close + len(markerEnd)
		end := strings.Index(rest[afterMarker:], tableEnd)
		if end < 0 {
			return "", fmt.Errorf("the schema table %q has no %q after it", what, tableEnd)
		}
		table, err := schemaTable(what, spec)
		if err != nil {
			return "", err
		}
		out.WriteString(rest[:afterMarker])
		out.WriteString("\n" + table)
		out.WriteString(tableEnd)
		rest = rest[afterMarker+end+len(tableEnd):]
	}
}

// schemaTable is the Markdown table of one thing the schema documents.
func schemaTable(what string, spec schema.PackageSpec) (string, error) {
	const registry = "ecrrepos:index:Registry"
	var heading string
	var props map[string]schema.PropertySpec
	switch what {
	case "Registry inputs":
		heading, props = "Input", spec.Resources[registry].InputProperties
	case "Registry outputs":
		heading, props = "Output", spec.Resources[registry].Properties
	default:
		if name, ok := strings.CutPrefix(what, "function "); ok {
			return functionTable(name, spec)
		}
		t, ok := spec.Types["ecrrepos:index:"+what]
		if !ok || len(t.Properties) == 0 {
			return "", fmt.Errorf("schema table %q: the schema has no object type %q (or a resource part: Registry inputs, Registry outputs)", what, what)
		}
		heading, props = "Field", t.Properties
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | Type | Description |\n|---|---|---|\n", heading)
	if err := writeRows(&b, what, "", props, spec); err != nil {
		return "", err
	}
	return b.String(), nil
}

// writeRows writes a row per property, sorted by name, each name after mark.
func writeRows(b *strings.Builder, what, mark string, props map[string]schema.PropertySpec, spec schema.PackageSpec) error {
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		p := props[name]
		if p.Description == "" {
			return fmt.Errorf("schema table %q: %s has no description", what, name)
		}
		fmt.Fprintf(b, "| %s`%s` | %s | %s |\n", mark, name, typeText(p.TypeSpec, spec), cell(p.Description))
	}
	return nil
}

// functionTable lists a function's arguments, then its results (marked →).
func functionTable(name string, spec schema.PackageSpec) (string, error) {
	f, ok := spec.Functions["ecrrepos:index:"+name]
	if !ok {
		return "", fmt.Errorf("schema table %q: the schema has no function %q", "function "+name, name)
	}
	var b strings.Builder
	b.WriteString("| Argument or result | Type | Description |\n|---|---|---|\n")
	var outputs map[string]schema.PropertySpec
	if f.ReturnType != nil && f.ReturnType.ObjectTypeSpec != nil {
		outputs = f.ReturnType.ObjectTypeSpec.Properties
	} else if f.Outputs != nil {
		outputs = f.Outputs.Properties
	}
	var inputs map[string]schema.PropertySpec
	if f.Inputs != nil {
		inputs = f.Inputs.Properties
	}
	what := "function " + name
	if err := writeRows(&b, what, "", inputs, spec); err != nil {
		return "", err
	}
	if err := writeRows(&b, what, "→ ", outputs, spec); err != nil {
		return "", err
	}
	return b.String(), nil
}

// typeText says what a property holds, as a user of any SDK reads it: an
// enum by its values, an object type by its name.
func typeText(t schema.TypeSpec, spec schema.PackageSpec) string {
	switch {
	case t.Ref != "":
		token := strings.TrimPrefix(t.Ref, "#/types/")
		if ct, ok := spec.Types[token]; ok && len(ct.Enum) > 0 {
			values := make([]string, len(ct.Enum))
			for i, e := range ct.Enum {
				values[i] = fmt.Sprintf("`%v`", e.Value)
			}
			return strings.Join(values, " \\| ")
		}
		return "`" + token[strings.LastIndex(token, ":")+1:] + "`"
	case t.Type == "array" && t.Items != nil:
		return "list of " + typeText(*t.Items, spec)
	case t.Type == "object" && t.AdditionalProperties != nil:
		return "map of " + typeText(*t.AdditionalProperties, spec)
	case t.Type == "object":
		return "map of string"
	}
	return t.Type
}

// cell makes text one Markdown table cell.
func cell(text string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(text), " "), "|", "\\|")
}
