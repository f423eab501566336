package migration

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hawebtier/hawebtier/components/problem"
)

// SelectionRule is one DMS table-mapping rule.
type SelectionRule struct {
	RuleType      string        `json:"rule-type"`
	RuleID        string        `json:"rule-id"`
	RuleName      string        `json:"rule-name"`
	ObjectLocator ObjectLocator `json:"object-locator"`
	RuleAction    string        `json:"rule-action"`
}

// ObjectLocator names the schema and table a rule applies to; % matches any
// run of characters.
type ObjectLocator struct {
	SchemaName string `json:"schema-name"`
	TableName  string `json:"table-name"`
}

type tableMappings struct {
	Rules []SelectionRule `json:"rules"`
}

func splitPattern(p string) (schema, table string, err error) {
	schema, table, ok := strings.Cut(p, ".")
	if !ok || strings.Contains(table, ".") || !tablePartRe.MatchString(schema) || !tablePartRe.MatchString(table) {
		return "", "", fmt.Errorf("expected schema.table (letters, digits, _, $, %% as wildcard), got %q", p)
	}
	return schema, table, nil
}

// TableMappings returns the DMS table-mapping document that includes every
// "schema.table" pattern. Patterns are sorted and deduplicated before the
// rule ids (1, 2, ...) are given, so reordering the configuration changes
// nothing. Bad patterns are problems of Tables (components/problem), every
// one at once; a pure function, it names no instance.
func TableMappings(patterns []string) (string, error) {
	probs := problem.List{Component: component}
	if len(patterns) == 0 {
		probs.Add("Tables", "need at least one schema.table pattern")
	}
	uniq := map[string]bool{}
	for i, p := range patterns {
		if _, _, err := splitPattern(p); err != nil {
			probs.Add(fmt.Sprintf("Tables[%d]", i), "%v", err)
		}
		uniq[p] = true
	}
	if err := probs.Err(); err != nil {
		return "", err
	}
	sorted := make([]string, 0, len(uniq))
	for p := range uniq {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	doc := tableMappings{}
	for i, p := range sorted {
		schema, table, _ := splitPattern(p)
		id := strconv.Itoa(i + 1)
		doc.Rules = append(doc.Rules, SelectionRule{
			RuleType:      "selection",
			RuleID:        id,
			RuleName:      "include-" + id,
			ObjectLocator: ObjectLocator{SchemaName: schema, TableName: table},
			RuleAction:    "include",
		})
	}
	b, err := json.Marshal(doc)
	return string(b), err
}

// logComponents are the DMS task log components written to CloudWatch Logs:
// enough to see why a full load or the change stream stopped.
var logComponents = []string{"SOURCE_UNLOAD", "SOURCE_CAPTURE", "TARGET_LOAD", "TARGET_APPLY", "TASK_MANAGER"}

// TaskSettings is the replication task's settings document: CloudWatch
// logging on, validation on, limited LOB mode, and existing target tables
// left alone (DO_NOTHING), so a restarted task never drops rows the
// application already wrote to RDS after cut-over.
func TaskSettings() string {
	type comp struct {
		ID       string `json:"Id"`
		Severity string `json:"Severity"`
	}
	comps := make([]comp, 0, len(logComponents))
	for _, c := range logComponents {
		comps = append(comps, comp{c, "LOGGER_SEVERITY_DEFAULT"})
	}
	settings := map[string]any{
		"TargetMetadata": map[string]any{
			"SupportLobs": true, "LimitedSizeLobMode": true, "LobMaxSize": 32, "FullLobMode": false,
		},
		"FullLoadSettings": map[string]any{
			"TargetTablePrepMode": "DO_NOTHING", "MaxFullLoadSubTasks": 8, "CommitRate": 10000,
		},
		"Logging":            map[string]any{"EnableLogging": true, "LogComponents": comps},
		"ValidationSettings": map[string]any{"EnableValidation": true, "ThreadCount": 5},
	}
	b, _ := json.Marshal(settings) // plain maps and strings: cannot fail
	return string(b)
}

var nonIdent = regexp.MustCompile(`[^a-z0-9]+`)

// Identifier makes a DMS identifier from a component name and a suffix:
// lower-case letters, digits and single hyphens, starting with a letter, at
// most 63 characters (the replication instance's limit, the tightest). A
// longer one is cut and ends in a hash of the whole, so two long names that
// share a prefix still differ.
func Identifier(name, suffix string) string {
	id := strings.Trim(nonIdent.ReplaceAllString(strings.ToLower(name+"-"+suffix), "-"), "-")
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		id = "dms-" + id
	}
	if len(id) > 63 {
		h := fnv.New32a()
		_, _ = h.Write([]byte(id))
		id = fmt.Sprintf("%s-%08x", strings.TrimRight(id[:54], "-"), h.Sum32())
	}
	return id
}
