package bot

import (
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
