package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	slackadapter "github.com/waardenbot/waardenbot/adapters/slack"
	"github.com/waardenbot/waardenbot/internal/testkit"
)

func TestCheckSaysWhatHoldsAndWhatToDo(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, _ := runCLI(t, "", nil, "check")
	if code != exitOK || !strings.Contains(out, "✓ data file: data/waardenbot.db does not exist yet; the bot will make it (mode 0600)") ||
		!strings.Contains(out, "✓ platforms: none enabled: run starts the console") {
		t.Errorf("the console's check: %d\n%s", code, out)
	}
	if _, err := os.Stat("data"); err == nil {
		t.Error("check made the data directory")
	}
	code, out, _ = runCLI(t, "", []string{"WAARDENBOT_BACKUP_KEEP=0"}, "check")
	if code != exitRefused || !strings.Contains(out, "✗ configuration: config: backup.keep: 0 is not a number of copies from 1 to 10000 — correct the key") {
		t.Errorf("a wrong key: %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", []string{"WAARDENBOT_SLACK_ENABLED=true", "WAARDENBOT_SLACK_MODE=http", "WAARDENBOT_SLACK_BOT_TOKEN=xoxb-1"}, "check", "--json")
	var report struct {
		OK     bool `json:"ok"`
		Checks []struct {
			Name, Detail, Fix string
			OK                bool
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	last := report.Checks[len(report.Checks)-1]
	if code != exitRefused || report.OK || last.OK || last.Name != "Slack configuration" || !strings.Contains(last.Detail, "slack.signing_secret") || last.Fix == "" {
		t.Errorf("HTTP mode without a signing secret: %d %+v", code, report)
	}
}

func TestCheckPassesWhenSlackGrantsEverything(t *testing.T) {
	t.Chdir(t.TempDir())
	var scopes []string
	for _, s := range slackadapter.Scopes {
		scopes = append(scopes, s.Name)
	}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-OAuth-Scopes", strings.Join(scopes, ","))
		fmt.Fprint(w, `{"ok":true,"team":"raad","user":"waardenbot","user_id":"UBOT","url":"wss://example/link"}`)
	}))
	defer api.Close()
	env := []string{"WAARDENBOT_SLACK_ENABLED=true", "WAARDENBOT_SLACK_BOT_TOKEN=xoxb-1", "WAARDENBOT_SLACK_APP_TOKEN=xapp-1", "WAARDENBOT_SLACK_API_URL=" + api.URL + "/api/"}
	code, out, _ := runCLI(t, "", env, "check")
	if code != exitOK || strings.Count(out, "✓") != 5 {
		t.Errorf("%d\n%s", code, out)
	}
}

func TestBackupAndRestoreCommands(t *testing.T) {
	t.Chdir(t.TempDir())
	if code, _, errOut := runCLI(t, "", nil, "ask", "/stelling Camera's in de binnenstad"); code != exitOK {
		t.Fatalf("ask: %s", errOut)
	}
	if code, _, _ := runCLI(t, "", nil, "backup"); code != exitUsage {
		t.Errorf("backup without --out: %d", code)
	}
	// No bot runs: the copy comes from the file.
	code, out, errOut := runCLI(t, "", nil, "backup", "--out", "copy.db")
	if code != exitOK || !strings.Contains(out, "backup written to copy.db from the data file data/waardenbot.db (no bot runs): 1 poll,") {
		t.Fatalf("backup: %d %s%s", code, out, errOut)
	}
	if fi, err := os.Stat("copy.db"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("copy.db: %v %v", fi.Mode(), err)
	}

	// A running bot: backup asks it, restore refuses.
	env := []string{"WAARDENBOT_SLACK_ENABLED=true", "WAARDENBOT_SLACK_MODE=http", "WAARDENBOT_SLACK_LISTEN=127.0.0.1:0",
		"WAARDENBOT_SLACK_SIGNING_SECRET=s", "WAARDENBOT_SLACK_BOT_TOKEN=xoxb-1", "WAARDENBOT_SLACK_API_URL=http://127.0.0.1:1/api/"}
	ctx, stop := context.WithCancel(context.Background())
	var logs testkit.Buffer
	done := make(chan int, 1)
	go func() { done <- runMain(ctx, []string{"run"}, strings.NewReader(""), io.Discard, &logs, env) }()
	testkit.WaitFor(t, "the control socket", func() bool { return strings.Contains(logs.String(), "control socket listening") })
	code, out, errOut = runCLI(t, "", env, "backup", "--out", "live.db")
	if code != exitOK || !strings.Contains(out, "from the running bot: 1 poll,") {
		t.Errorf("backup from the running bot: %d %s%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "", env, "restore", "copy.db")
	if code != exitRefused || !strings.Contains(errOut, "restore refused, nothing changed: ") || !strings.Contains(errOut, "stop the bot first") {
		t.Errorf("restore while the bot runs: %d %s", code, errOut)
	}
	stop()
	<-done

	os.WriteFile("garbage.db", []byte(strings.Repeat("not a database ", 1000)), 0o600)
	code, _, errOut = runCLI(t, "", nil, "restore", "garbage.db")
	if code != exitRefused || !strings.Contains(errOut, "restore refused, nothing changed: garbage.db: not a waardenbot data file") {
		t.Errorf("restore of a foreign file: %d %s", code, errOut)
	}
	code, out, errOut = runCLI(t, "", nil, "restore", "live.db")
	if code != exitOK || !strings.Contains(out, "restored live.db to data/waardenbot.db: 1 poll,") || !strings.Contains(out, "the data file it replaced is kept as data/waardenbot.db.before-restore-") {
		t.Errorf("restore: %d %s%s", code, out, errOut)
	}
	if entries, _ := filepath.Glob("data/*"); len(entries) != 2 { // the file and the one it replaced
		t.Errorf("data holds %v", entries)
	}
}

func TestBackupAndRestoreSayToUseTheDatabaseToolsForPostgreSQL(t *testing.T) {
	t.Chdir(t.TempDir())
	// No database needs to answer: the refusal comes before any connection.
	env := []string{"WAARDENBOT_STORE_KIND=postgres", "WAARDENBOT_STORE_DSN=postgres://nobody@127.0.0.1:1/none"}
	for _, args := range [][]string{{"backup", "--out", "copy.db"}, {"restore", "copy.db"}} {
		code, _, errOut := runCLI(t, "", env, args...)
		if code == exitOK || !strings.Contains(errOut, "pg_dump") {
			t.Errorf("%s with the PostgreSQL store: %d %s", args[0], code, errOut)
		}
	}
	if _, err := os.Stat("copy.db"); err == nil {
		t.Error("backup wrote a file for the PostgreSQL store")
	}
	// Scheduled copies of a database are refused when the configuration
	// is read, with the key named.
	env = append(env, "WAARDENBOT_BACKUP_EVERY=24h")
	if code, _, errOut := runCLI(t, "", env, "ask", "/waarde privacy"); code == exitOK || !strings.Contains(errOut, "backup") || !strings.Contains(errOut, "pg_dump") {
		t.Errorf("[backup] with the PostgreSQL store: %d %s", code, errOut)
	}
}
