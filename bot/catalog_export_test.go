package bot

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// TestEveryExportWordIsInBothCatalogs: package bot/export writes every
// word of its files from the catalog by key, which the compiler cannot
// check. Every key its sources name must be in both catalogs; a key that
// ends in a dot is completed with each kind of poll.
func TestEveryExportWordIsInBothCatalogs(t *testing.T) {
	files, err := filepath.Glob("export/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sources of package export: %v", err)
	}
	key := regexp.MustCompile(`"(export\.[a-z_.]+)"`)
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
			keys := []string{m[1]}
			if strings.HasSuffix(m[1], ".") {
				keys = []string{m[1] + string(poll.Values), m[1] + string(poll.Statement)}
			}
			for _, k := range keys {
				n++
				for lang, cat := range map[string]catalog{"nl": dutch, "en": english} {
					if _, ok := cat[k]; !ok {
						t.Errorf("%s: %s has no %s text", name, k, lang)
					}
				}
			}
		}
	}
	if n < 80 {
		t.Errorf("found only %d keys in package export; is the pattern stale?", n)
	}
	// The words that shape the numbers: one rune, and not the same.
	for lang, cat := range map[string]catalog{"nl": dutch, "en": english} {
		sep, mark := cat["export.csv_separator"], cat["export.decimal_mark"]
		if len([]rune(sep)) != 1 || len([]rune(mark)) != 1 || sep == mark {
			t.Errorf("%s: separator %q and decimal mark %q", lang, sep, mark)
		}
	}
}
