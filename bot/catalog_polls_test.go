package bot

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestEveryMessageExistsInBothLanguages(t *testing.T) {
	for key := range dutch {
		if _, ok := english[key]; !ok {
			t.Errorf("%s has no English text", key)
		}
	}
	for key := range english {
		if _, ok := dutch[key]; !ok {
			t.Errorf("%s has no Dutch text", key)
		}
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commandTable() {
		for name, cat := range map[string]catalog{"nl": dutch, "en": english} {
			if h, ok := cat["help."+c.name]; !ok || !strings.Contains(h, "/"+c.name) {
				t.Errorf("%s: help.%s missing or does not show the command", name, c.name)
			}
		}
	}
}

// TestEveryPollRefusalHasASentence: package poll names the sentence of a
// refusal by its catalog key, which the compiler cannot check; every key
// it names must be in both catalogs.
func TestEveryPollRefusalHasASentence(t *testing.T) {
	files, err := filepath.Glob("poll/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sources of package poll: %v", err)
	}
	key := regexp.MustCompile(`(?:refuse\(\w+, |badInput\()"([a-z_.]+)"`)
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			n++
			for lang, cat := range map[string]catalog{"nl": dutch, "en": english} {
				if _, ok := cat[m[1]]; !ok {
					t.Errorf("%s: %s has no %s sentence", name, m[1], lang)
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("found only %d refusal keys in package poll; is the pattern stale?", n)
	}
}
