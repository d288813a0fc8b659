package bot

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestCommandTable holds each command's words together: its help line
// starts with the command and the hint the platforms show, shows its
// examples, and its summary fits Mattermost's 128 bytes on one line.
func TestCommandTable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range commandTable() {
		for _, w := range append([]string{c.name}, c.aliases...) {
			if seen[w] || w != strings.ToLower(w) || strings.ContainsAny(w, " /") {
				t.Errorf("%q: a command word must be lower case, without spaces or slashes, and unique", w)
			}
			seen[w] = true
		}
		if c.instant && c.store {
			t.Errorf("/%s: answered from memory cannot need the data file", c.name)
		}
		if c.cache && !c.instant {
			t.Errorf("/%s: an answer that depends on the arguments alone is answered from memory", c.name)
		}
		if c.run == nil || c.maxArgs <= 0 {
			t.Errorf("/%s: no handler or no argument limit", c.name)
		}
		for lang, cat := range map[string]catalog{"nl": dutch, "en": english} {
			hint, ok := cat["cmd."+c.name+".hint"]
			if !ok {
				t.Errorf("%s: cmd.%s.hint missing (empty when the command takes no arguments)", lang, c.name)
			}
			head := "`/" + c.name
			if hint != "" {
				head += " " + hint
			}
			if line := cat["help."+c.name]; !strings.HasPrefix(line, head+"`") {
				t.Errorf("%s: help.%s should start with %q, the command and its hint:\n%s", lang, c.name, head+"`", line)
			}
			for _, ex := range c.examples {
				if !strings.Contains(cat["help."+c.name], "`/"+c.name+" "+ex+"`") {
					t.Errorf("%s: help.%s does not show the example `/%s %s`", lang, c.name, c.name, ex)
				}
			}
			sum := cat["cmd."+c.name+".summary"]
			if sum == "" || len(sum) > 128 || strings.ContainsAny(sum, "\n`*_") {
				t.Errorf("%s: cmd.%s.summary must be one plain line of 1 to 128 bytes: %q", lang, c.name, sum)
			}
		}
	}
}

func TestLookupExamplesAreAnswered(t *testing.T) {
	for _, lang := range []string{"nl", "en"} {
		b := newTestBot(t, lang)
		for _, c := range commandTable() {
			if !c.instant {
				continue
			}
			for _, ex := range append([]string{""}, c.examples...) {
				if r := ask(t, b, "/"+c.name+" "+ex); r.Status != Answered {
					t.Errorf("%s: /%s %s: %v\n%s", lang, c.name, ex, r.Status, r.Text)
				}
			}
		}
	}
}

func TestAliasRunsItsCommand(t *testing.T) {
	b := newTestBot(t, "nl")
	if got, want := ask(t, b, "/waardenbot").Text, ask(t, b, "/help").Text; got != want {
		t.Errorf("/waardenbot answers\n%s\nnot the help", got)
	}
	if !b.Instant("/WAARDENBOT") || b.Instant("casus") {
		t.Error("Instant does not follow the table")
	}
}

func TestCommandsDescribeEveryCommandInTheBotsLanguage(t *testing.T) {
	for lang, want := range map[string]string{"nl": "[naam]", "en": "[name]"} {
		cmds := newTestBot(t, lang).Commands()
		if len(cmds) != len(commandTable()) {
			t.Fatalf("%s: %d commands described, want %d", lang, len(cmds), len(commandTable()))
		}
		if cmds[0].Name != "waarde" || cmds[0].Hint != want || cmds[0].Summary != catalogFor(lang)["cmd.waarde.summary"] {
			t.Errorf("%s: %+v", lang, cmds[0])
		}
		if h := cmds[len(cmds)-1]; h.Name != "help" || strings.Join(h.Aliases, ",") != "waardenbot" || h.Hint != "" {
			t.Errorf("%s: help: %+v", lang, h)
		}
	}
}

// A command in the README is a command that works, and the other way
// round: every command and alias appears in one of the README's tables.
func TestEveryCommandIsInTheREADME(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "|") {
			rows = append(rows, line)
		}
	}
	tables := strings.Join(rows, "\n")
	for _, c := range commandTable() {
		for _, w := range append([]string{c.name}, c.aliases...) {
			if !regexp.MustCompile("`/" + w + "\\b").MatchString(tables) {
				t.Errorf("README.md: no table row shows /%s", w)
			}
		}
	}
}
