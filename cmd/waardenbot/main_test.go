package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot/store"
)

// run runs the CLI like a user would, with a clean environment.
func run(t *testing.T, stdin string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runMain(context.Background(), args, strings.NewReader(stdin), &out, &errb, env)
	return out.String(), errb.String(), code
}

func TestAskAnswersOnStdout(t *testing.T) {
	t.Chdir(t.TempDir())
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"value", []string{"ask", "/waarde privacy"}, exitOK, "Burgers moeten zich te allen tijde en overal vrij en onbespied voelen."},
		{"questions", []string{"ask", "/vragen beveiliging"}, exitOK, "Algemene Verordening Gegevensbescherming"},
		{"help", []string{"ask", "/help"}, exitOK, "/waarde"},
		{"nothing found", []string{"ask", "/waarde xyzzy"}, exitRefused, "Ik vond niets"},
		{"refused input", []string{"ask", "/waarde " + strings.Repeat("x", 300)}, exitRefused, "te lang"},
		{"unknown command", []string{"ask", "/waarden"}, exitRefused, "Bedoelde je `/waarde`?"},
		{"no command", []string{"ask"}, exitUsage, ""},
		{"two commands", []string{"ask", "/waarde", "/vragen"}, exitUsage, ""},
		{"unknown flag", []string{"ask", "--nope", "/waarde"}, exitUsage, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, code := run(t, "", nil, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("code %d (want %d), stdout:\n%s", code, tc.code, out)
			}
		})
	}
	if _, err := os.Stat("data"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a lookup through ask created the data directory")
	}
}

func TestAskJSON(t *testing.T) {
	t.Chdir(t.TempDir())
	out, _, code := run(t, "", nil, "ask", "--json", "--user", "piet", "--channel", "raad", "/waarde xyzzy")
	if code != exitRefused {
		t.Errorf("code = %d", code)
	}
	var r struct {
		Text      *string `json:"text"`
		Ephemeral *bool   `json:"ephemeral"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Text == nil || r.Ephemeral == nil {
		t.Fatalf("not the JSON contract: %v\n%s", err, out)
	}
	if !*r.Ephemeral || !strings.Contains(*r.Text, "xyzzy") {
		t.Errorf("reply: %s", out)
	}
}

func TestKBExport(t *testing.T) {
	t.Chdir(t.TempDir())
	out, _, code := run(t, "", nil, "kb", "export")
	if code != exitOK {
		t.Fatalf("code %d", code)
	}
	var doc struct {
		Clusters []struct {
			Name   string `json:"name"`
			Values []struct {
				Opinions []string `json:"opinions"`
			} `json:"values"`
		} `json:"clusters"`
		Cards []struct {
			Groups []struct {
				Themes []struct {
					Questions []string `json:"questions"`
				} `json:"themes"`
			} `json:"groups"`
		} `json:"cards"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	opinions, questions := 0, 0
	for _, c := range doc.Clusters {
		for _, v := range c.Values {
			opinions += len(v.Opinions)
		}
	}
	for _, c := range doc.Cards {
		for _, g := range c.Groups {
			for _, th := range g.Themes {
				questions += len(th.Questions)
			}
		}
	}
	if len(doc.Clusters) != 9 || opinions != 58 || questions != 44 {
		t.Errorf("export: %d clusters, %d opinions, %d questions", len(doc.Clusters), opinions, questions)
	}
	if strings.Contains(out, `\u00`) {
		t.Errorf("export escapes characters it need not")
	}
}

func TestConsoleOverAPipe(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	out, errOut, code := run(t, "/waarde privacy\n\n/vragen  “bestuur”\nwaarde hierarchie\n/nope\nstop\n/waarde vrijheid\n", nil, "console")
	if code != exitOK {
		t.Fatalf("code %d, stderr %s", code, errOut)
	}
	for _, want := range []string{"**Privacy**", "**bestuur**", "**Hiërarchie**", "`/nope` ken ik niet", "(alleen voor jou)"} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q", want)
		}
	}
	if strings.Contains(out, "autonoom leven.\n\n**Vrijheid**") || strings.Contains(out, "waardencluster (ideëel) met 4") {
		t.Errorf("console answered after stop")
	}
	fi, err := os.Stat(filepath.Join(dir, "data", "waardenbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("data file mode = %v, want 0600", fi.Mode().Perm())
	}
}

func TestNoSubcommandRunsTheConsole(t *testing.T) {
	t.Chdir(t.TempDir())
	out, _, code := run(t, "/waarde privacy\n", nil)
	if code != exitOK || !strings.Contains(out, "**Privacy**") {
		t.Errorf("code %d, out %s", code, out)
	}
}

func TestSecondProcessGetsDatabaseInUse(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	path := filepath.Join(dir, "data", "waardenbot.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// bbolt's lock is per process through flock; a second Open in the same
	// process on another descriptor is refused the same way.
	_, errOut, code := run(t, "", nil, "console")
	if code == exitOK || !strings.Contains(errOut, "database in use") {
		t.Errorf("code %d, stderr %q", code, errOut)
	}
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"unknown key", []string{"--config", write("a.toml", "[slack]\nenabeld = true\n")}, nil, "slack.enabeld"},
		{"bad type", []string{"--config", write("b.toml", "lang = 3\n")}, nil, "lang"},
		{"syntax", []string{"--config", write("c.toml", "lang = \"nl\n")}, nil, "line 1"},
		{"bad language", []string{"--config", write("d.toml", "lang = \"fr\"\n")}, nil, "lang"},
		{"bad time zone", nil, []string{"WAARDENBOT_TIMEZONE=Europe/Amsterdm"}, "timezone"},
		{"bad boolean", nil, []string{"WAARDENBOT_SLACK_ENABLED=misschien"}, "WAARDENBOT_SLACK_ENABLED"},
		{"unknown variable", nil, []string{"WAARDENBOT_SLAK_ENABLED=true"}, "WAARDENBOT_SLAK_ENABLED"},
		{"bad slack mode", nil, []string{"WAARDENBOT_SLACK_ENABLED=true", "WAARDENBOT_SLACK_MODE=pigeon"}, "slack.mode"},
		{"missing file", []string{"--config", filepath.Join(dir, "none.toml")}, nil, "none.toml"},
		{"missing knowledge file", nil, []string{"WAARDENBOT_KNOWLEDGE_FILE=/nonexistent.yaml"}, "knowledge_file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := run(t, "", tc.env, append([]string{"ask"}, append(tc.args, "/waarde privacy")...)...)
			if code == exitOK || !strings.Contains(errOut, tc.want) {
				t.Errorf("code %d, stderr %q, want it to name %q", code, errOut, tc.want)
			}
		})
	}
}

func TestEnvironmentOverridesConfig(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "w.toml")
	os.WriteFile(cfgPath, []byte("lang = \"nl\"\n[mattermost]\nteams = [\"a\"]\n"), 0o600)
	cfg, err := loadConfig(cfgPath, []string{
		"WAARDENBOT_LANG=en", "WAARDENBOT_DATA_DIR=/srv/wb", "WAARDENBOT_MATTERMOST_TEAMS=raad, college",
		"WAARDENBOT_SLACK_ENABLED=true", "WAARDENBOT_SLACK_BOT_TOKEN=xoxb-secret", "PATH=/bin",
		"WAARDENBOT_TEST_POSTGRES_DSN=postgres://x@y/z", "WAARDENBOT_E2E_MATTERMOST_SERVERS=11.1", // the tests', not settings
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Lang != "en" || cfg.DataDir != "/srv/wb" || strings.Join(cfg.Mattermost.Teams, "|") != "raad|college" ||
		!cfg.Slack.Enabled || cfg.Slack.BotToken != "xoxb-secret" {
		t.Errorf("config = %+v", cfg)
	}
	if cfg.DBPath() != "/srv/wb/waardenbot.db" {
		t.Errorf("DBPath = %s", cfg.DBPath())
	}
}

func TestEnglishFromEnvironment(t *testing.T) {
	t.Chdir(t.TempDir())
	out, _, _ := run(t, "", []string{"WAARDENBOT_LANG=en"}, "ask", "/waarde privacy")
	if !strings.Contains(out, "value in the cluster") {
		t.Errorf("out: %s", out)
	}
}

func TestKnowledgeOverlayErrorNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	p := filepath.Join(dir, "eigen.yaml")
	os.WriteFile(p, []byte("clusters:\n  - name: Nut\n    values:\n      - name: Privacy\n        opinions: [x]\n"), 0o600)
	_, errOut, code := run(t, "", []string{"WAARDENBOT_KNOWLEDGE_FILE=" + p}, "ask", "/waarde privacy")
	if code != exitUsage || !strings.Contains(errOut, p+":4:") || !strings.Contains(errOut, "already on the map") {
		t.Errorf("code %d stderr %q", code, errOut)
	}
}

func TestVersionAndHelp(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}, {"run", "--version"}} {
		if out, _, code := run(t, "", nil, args...); code != exitOK || !strings.HasPrefix(out, "waardenbot ") {
			t.Errorf("%v: code %d out %q", args, code, out)
		}
	}
	for _, args := range [][]string{{"ask", "--help"}, {"console", "--help"}, {"run", "--help"}, {"kb", "export", "--help"}} {
		if _, errOut, code := run(t, "", nil, args...); code != exitOK || !strings.Contains(errOut, "Usage: waardenbot") {
			t.Errorf("%v: code %d stderr %q", args, code, errOut)
		}
	}
	if _, _, code := run(t, "", nil, "frobnicate"); code != exitUsage {
		t.Errorf("unknown subcommand: code %d", code)
	}
}

func TestConfigExampleIsValidAndDocumentsEveryKey(t *testing.T) {
	path := filepath.Join("..", "..", "config.example.toml")
	cfg, err := loadConfig(path, nil)
	if err != nil {
		t.Fatalf("config.example.toml: %v", err)
	}
	data, _ := os.ReadFile(path)
	walkFields(reflect.ValueOf(&cfg).Elem(), "", func(key string, f reflect.Value) error {
		if f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Struct {
			// A list of tables, shown as an example: # [[schedule.recess]]
			if !strings.Contains(string(data), "[["+key+"]]") {
				t.Errorf("config.example.toml does not document [[%s]]", key)
			}
			return nil
		}
		name := key[strings.LastIndex(key, ".")+1:]
		if !strings.Contains(string(data), "\n"+name+" =") {
			t.Errorf("config.example.toml does not document %s", key)
		}
		return nil
	})
}
