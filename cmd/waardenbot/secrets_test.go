package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"
)

// secretValues are the values of every configuration key tagged
// secret:"true" (tokens, signing secrets), found by reflection so that a
// secret key added later is covered too.
func secretValues(v reflect.Value) []string {
	var out []string
	t := v.Type()
	for i := range t.NumField() {
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.Struct:
			out = append(out, secretValues(f)...)
		case t.Field(i).Tag.Get("secret") != "true":
		case f.Kind() == reflect.String:
			out = append(out, f.String())
		case f.Kind() == reflect.Slice:
			out = append(out, f.Interface().([]string)...)
		}
	}
	return out
}

func randomSecret(prefix string) string {
	b := make([]byte, 20)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// refusingSlack refuses every token; refusingMattermost every request.
func refusingServers(t *testing.T) (slackURL, mattermostURL string) {
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
	}))
	mm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v4/system/ping" {
			fmt.Fprint(w, `{"status":"OK"}`)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"id":"api.context.session_expired.app_error","message":"Invalid or expired session, please login again.","status_code":401}`)
	}))
	t.Cleanup(slack.Close)
	t.Cleanup(mm.Close)
	return slack.URL + "/api/", mm.URL
}

// TestNoSecretInTheLogsOfAFullRun runs the bot, in both log formats and
// at debug level, with tokens that Slack and Mattermost refuse, with a
// Mattermost that cannot be reached, with requests signed right and
// wrong, and runs check and backup; then it looks for every configured
// secret, and every 12 characters of one, in everything written.
func TestNoSecretInTheLogsOfAFullRun(t *testing.T) {
	secrets := map[string]string{
		"WAARDENBOT_SLACK_BOT_TOKEN":           randomSecret("xoxb-"),
		"WAARDENBOT_SLACK_APP_TOKEN":           randomSecret("xapp-"),
		"WAARDENBOT_SLACK_SIGNING_SECRET":      randomSecret(""),
		"WAARDENBOT_MATTERMOST_BOT_TOKEN":      randomSecret(""),
		"WAARDENBOT_MATTERMOST_COMMAND_TOKENS": randomSecret("") + "," + randomSecret(""),
	}
	slackURL, mmURL := refusingServers(t)
	base := []string{"WAARDENBOT_LOG_LEVEL=debug", "WAARDENBOT_SLACK_ENABLED=true", "WAARDENBOT_SLACK_API_URL=" + slackURL,
		"WAARDENBOT_MATTERMOST_ENABLED=true", "WAARDENBOT_MATTERMOST_LISTEN=127.0.0.1:0", "WAARDENBOT_MATTERMOST_TEAMS=raad",
		"WAARDENBOT_MATTERMOST_PUBLIC_URL=http://127.0.0.1:1", "WAARDENBOT_BACKUP_EVERY=1h"}
	for k, v := range secrets {
		base = append(base, k+"="+v)
	}
	cfg, err := loadConfig("", base)
	if err != nil {
		t.Fatal(err)
	}
	found := secretValues(reflect.ValueOf(cfg))
	if len(found) != 6 {
		t.Fatalf("found %d secret values in the configuration, want the 6 set here", len(found))
	}
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Chdir(t.TempDir())
			env := append([]string{"WAARDENBOT_LOG_FORMAT=" + format}, base...)
			var all strings.Builder
			// Socket Mode: Slack refuses the app token and the bot stops;
			// Mattermost cannot be reached meanwhile.
			socket := append([]string{"WAARDENBOT_SLACK_MODE=socket", "WAARDENBOT_MATTERMOST_URL=http://127.0.0.1:1"}, env...)
			out, logs, code := runFor(t, socket, `Slack refused the app token`)
			all.WriteString(out + logs)
			if code == exitOK {
				t.Errorf("run went on with a refused app token:\n%s", logs)
			}
			// HTTP mode: Slack and Mattermost refuse the tokens; requests
			// come signed right and wrong.
			httpMode := append([]string{"WAARDENBOT_SLACK_MODE=http", "WAARDENBOT_SLACK_LISTEN=127.0.0.1:0", "WAARDENBOT_MATTERMOST_URL=" + mmURL}, env...)
			out, logs, _ = runFor(t, httpMode, `Mattermost refused the bot token`, `Slack refused the bot token`)
			all.WriteString(out + logs)
			for _, args := range [][]string{{"check"}, {"check", "--json"}, {"backup", "--out", "b.db"}, {"restore", "b.db"}} {
				_, out, errOut := runCLI(t, "", httpMode, args...)
				all.WriteString(out + errOut)
			}
			if format == "json" && !strings.Contains(all.String(), `"level":"ERROR"`) {
				t.Errorf("no JSON log lines:\n%s", all.String())
			}
			for _, s := range found {
				if leak := leaked(all.String(), s); leak != "" {
					t.Errorf("%q of a secret appears in the output:\n%s", leak, all.String())
				}
			}
		})
	}
}

// runFor runs `waardenbot run` until its log holds every one of want (or
// it stops by itself), then stops it, and returns what it wrote.
func runFor(t *testing.T, env []string, want ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errOut testkit.Buffer
	var out strings.Builder
	done := make(chan int, 1)
	go func() { done <- runMain(ctx, []string{"run"}, strings.NewReader(""), &out, &errOut, env) }()
	deadline := time.After(20 * time.Second)
	for {
		all := true
		for _, w := range want {
			all = all && strings.Contains(errOut.String(), w)
		}
		select {
		case code = <-done:
			return out.String(), errOut.String(), code
		case <-deadline:
			t.Fatalf("the log does not show %q within 20 s:\n%s", want, errOut.String())
		case <-time.After(10 * time.Millisecond):
		}
		if all {
			break
		}
	}
	// Requests signed right and wrong, while it serves.
	if m := regexp.MustCompile(`Slack HTTP mode listening.*?addr=\\?"?([0-9.:]+)`).FindStringSubmatch(errOut.String()); m != nil {
		for _, sig := range []string{"v0=00", ""} {
			req, _ := http.NewRequest(http.MethodPost, "http://"+m[1]+"/slack/commands", strings.NewReader("command=%2Fwaarde&text=privacy"))
			req.Header.Set("X-Slack-Signature", sig)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
	}
	cancel()
	code = <-done
	return out.String(), errOut.String(), code
}

// leaked is the secret, or 12 characters of it, where they occur in s.
func leaked(s, secret string) string {
	if strings.Contains(s, secret) {
		return secret
	}
	for i := 0; i+12 <= len(secret); i++ {
		if part := secret[i : i+12]; strings.Contains(s, part) {
			return part
		}
	}
	return ""
}
