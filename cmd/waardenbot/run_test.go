package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"
)

func TestRunServesSlackOverHTTPAndStopsCleanly(t *testing.T) {
	t.Chdir(t.TempDir())
	const secret, token = "s3cr3t-signing", "xoxb-very-secret-token"
	env := []string{
		// Port 0: the system picks a free port when the adapter binds,
		// and the adapter logs it.
		"WAARDENBOT_SLACK_ENABLED=true", "WAARDENBOT_SLACK_MODE=http", "WAARDENBOT_SLACK_LISTEN=127.0.0.1:0",
		"WAARDENBOT_SLACK_SIGNING_SECRET=" + secret, "WAARDENBOT_SLACK_BOT_TOKEN=" + token,
		"WAARDENBOT_SLACK_API_URL=http://127.0.0.1:1/api/", // unreachable: the listener must serve anyway
		"WAARDENBOT_LOG_LEVEL=debug",
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stderr testkit.Buffer
	done := make(chan int, 1)
	go func() { done <- runMain(ctx, []string{"run"}, strings.NewReader(""), io.Discard, &stderr, env) }()

	listening := regexp.MustCompile(`msg="Slack HTTP mode listening" .*addr=(\S+)`)
	var addr string
	testkit.WaitFor(t, "the listener's address in the log", func() bool {
		if m := listening.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
		}
		return addr != ""
	})
	body := url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"}, "command": {"/vragen"}, "text": {"beveiliging"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":" + body))
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(got), "Algemene Verordening Gegevensbescherming") {
		t.Errorf("answer %d: %s", resp.StatusCode, got)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
	if logs := stderr.String(); strings.Contains(logs, secret) || strings.Contains(logs, token) {
		t.Errorf("a secret was logged:\n%s", logs)
	}
}

func TestRunRefusesIncompleteSlackConfigNamingTheKey(t *testing.T) {
	t.Chdir(t.TempDir())
	_, errOut, code := run(t, "", []string{"WAARDENBOT_SLACK_ENABLED=true", "WAARDENBOT_SLACK_BOT_TOKEN=xoxb-1"}, "run")
	if code == exitOK || !strings.Contains(errOut, "slack.app_token") {
		t.Errorf("code %d stderr %q", code, errOut)
	}
}
