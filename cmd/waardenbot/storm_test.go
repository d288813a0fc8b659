package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/waardenbot/waardenbot/internal/testkit"
)

const stormSecret = "storm-signing-secret"

// slackAPI is a Web API that answers every call with ok and records the
// blocks of chat.postMessage, for the poll's ID.
func slackAPI(t *testing.T) (*httptest.Server, func() string) {
	var mu sync.Mutex
	var posted strings.Builder
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if strings.HasSuffix(r.URL.Path, "chat.postMessage") {
			mu.Lock()
			posted.WriteString(r.PostForm.Get("blocks"))
			mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true,"channel":"C1","ts":"1700000000.000100","user_id":"UBOT"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, func() string { mu.Lock(); defer mu.Unlock(); return posted.String() }
}

// bot is a waardenbot process in Slack's HTTP mode.
type botProcess struct {
	cmd    *exec.Cmd
	env    []string
	logs   *testkit.Buffer
	addr   string
	client *http.Client
}

func startBot(t *testing.T, env []string) *botProcess {
	t.Helper()
	p := &botProcess{env: env, logs: &testkit.Buffer{}, client: &http.Client{Timeout: 10 * time.Second}}
	p.cmd = exec.Command(binary(t), "run")
	p.cmd.Env, p.cmd.Stderr = env, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	listening := regexp.MustCompile(`msg="Slack HTTP mode listening" .*addr=(\S+)`)
	testkit.WaitFor(t, "the listener", func() bool {
		if m := listening.FindStringSubmatch(p.logs.String()); m != nil {
			p.addr = m[1]
		}
		return p.addr != "" && strings.Contains(p.logs.String(), "control socket listening")
	})
	return p
}

// post sends a signed request; it reports the answer, or an error once
// the bot no longer takes requests.
func (p *botProcess) post(path string, form url.Values) (string, error) {
	body := form.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(stormSecret))
	mac.Write([]byte("v0:" + ts + ":" + body))
	req, _ := http.NewRequest(http.MethodPost, "http://"+p.addr+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := p.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d: %s", resp.StatusCode, got)
	}
	return string(got), err
}

func command(user, cmd, text string) url.Values {
	return url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {user}, "user_name": {user}, "command": {cmd}, "text": {text},
		"trigger_id": {"trigger-" + user}}
}

func click(user, pollID, key string) url.Values {
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "team": map[string]string{"id": "T1"}, "trigger_id": "trigger-" + user,
		"user":      map[string]string{"id": user, "name": user},
		"container": map[string]string{"type": "message", "channel_id": "C1", "message_ts": "1700000000.000100"},
		"actions":   []map[string]string{{"action_id": "vote-" + key, "block_id": "b", "value": pollID + " " + key, "type": "button"}},
	})
	return url.Values{"payload": {string(payload)}}
}

// wait waits for c to close, or fails the test after a minute.
func wait(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(time.Minute):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// voters are the users with a vote in poll id in the data file at path.
func voters(t *testing.T, path, id string) map[string]bool {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]bool{}
	db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("votes")).ForEach(func(k, _ []byte) error {
			if poll, user, ok := strings.Cut(string(k), "\x00"); ok && poll == id {
				out[user] = true
			}
			return nil
		})
	})
	return out
}

// TestVoteStormWithABackupAndSIGTERM runs the real binary under a storm of
// votes, typed (/stem, answered once committed) and clicked (acknowledged
// at once, counted after): `waardenbot backup` during the storm makes a
// copy that restores to the votes committed before it began, and SIGTERM
// during the storm stops the bot with every acknowledged vote in the file.
func TestVoteStormWithABackupAndSIGTERM(t *testing.T) {
	dir := t.TempDir()
	api, posted := slackAPI(t)
	env := []string{"HOME=" + dir, "WAARDENBOT_DATA_DIR=" + filepath.Join(dir, "data"),
		"WAARDENBOT_SLACK_ENABLED=true", "WAARDENBOT_SLACK_MODE=http", "WAARDENBOT_SLACK_LISTEN=127.0.0.1:0",
		"WAARDENBOT_SLACK_SIGNING_SECRET=" + stormSecret, "WAARDENBOT_SLACK_BOT_TOKEN=xoxb-storm", "WAARDENBOT_SLACK_API_URL=" + api.URL + "/api/"}
	bot := startBot(t, env)
	if _, err := bot.post("/slack/commands", command("Uanna", "/stelling", "Camera's in de binnenstad")); err != nil {
		t.Fatal(err)
	}
	var id string
	testkit.WaitFor(t, "the poll message", func() bool {
		if m := regexp.MustCompile(`"value":"([0-9a-z]+) eens"`).FindStringSubmatch(posted()); m != nil {
			id = m[1]
		}
		return id != ""
	})

	var (
		wg                    sync.WaitGroup
		mu                    sync.Mutex
		acked                 = map[string]bool{} // every acknowledged vote
		committedBefore       = map[string]bool{} // typed votes answered before the backup began
		startedAfter          = map[string]bool{} // votes sent after the backup ended
		backupPhase           atomic.Int32        // 0 before, 1 during, 2 after the backup
		total                 atomic.Int64
		backupAt, sigtermAt   = int64(300), int64(700)
		backupNow, sigtermNow = make(chan struct{}), make(chan struct{})
	)
	for g := range 24 {
		wg.Go(func() {
			for i := 0; ; i++ {
				user := fmt.Sprintf("U%02d%04d", g, i)
				sent := backupPhase.Load()
				var err error
				counted := false // the answer says the vote counts: it was committed
				if g%2 == 0 {
					var answer string
					answer, err = bot.post("/slack/commands", command(user, "/stem", id+" eens"))
					counted = strings.Contains(answer, "telt:")
					// An empty answer acknowledges a command that took
					// longer than Slack waits; its answer would follow.
					if err == nil && !counted && answer != "" {
						err = fmt.Errorf("answer %s", answer)
					}
				} else {
					_, err = bot.post("/slack/interactions", click(user, id, "oneens"))
				}
				if err != nil {
					if total.Load() < sigtermAt {
						t.Errorf("%s before SIGTERM: %v", user, err)
					}
					return // the bot stopped taking requests
				}
				answered := backupPhase.Load()
				mu.Lock()
				acked[user] = true
				if answered == 0 && counted {
					committedBefore[user] = true
				}
				if sent == 2 {
					startedAfter[user] = true
				}
				mu.Unlock()
				switch total.Add(1) {
				case backupAt:
					close(backupNow)
				case sigtermAt:
					close(sigtermNow)
				}
			}
		})
	}
	wait(t, backupNow, "the votes before the backup")
	backup := filepath.Join(dir, "storm-backup.db")
	backupPhase.Store(1)
	cmd := exec.Command(binary(t), "backup", "--out", backup)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	backupPhase.Store(2)
	if err != nil || !strings.Contains(string(out), "from the running bot") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	wait(t, sigtermNow, "the votes before SIGTERM")
	bot.cmd.Process.Signal(syscall.SIGTERM)
	wg.Wait()
	if err := bot.cmd.Wait(); err != nil {
		t.Fatalf("the bot did not stop cleanly: %v\n%s", err, bot.logs.String())
	}
	if !strings.Contains(bot.logs.String(), `msg="data file closed"`) {
		t.Errorf("the log does not say the data file was closed:\n%s", bot.logs.String())
	}

	inFile := voters(t, filepath.Join(dir, "data", "waardenbot.db"), id)
	missing := 0
	for user := range acked {
		if !inFile[user] {
			missing++
		}
	}
	t.Logf("%d votes acknowledged (%d after the backup), %d in the file after SIGTERM", len(acked), len(startedAfter), len(inFile))
	if missing > 0 {
		t.Errorf("%d acknowledged votes are not in the file", missing)
	}

	restoreEnv := append([]string{"WAARDENBOT_DATA_DIR=" + filepath.Join(dir, "restored")}, env[2:]...)
	restore := exec.Command(binary(t), "restore", backup)
	restore.Env = restoreEnv
	if out, err := restore.CombinedOutput(); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	restored := voters(t, filepath.Join(dir, "restored", "waardenbot.db"), id)
	t.Logf("the backup holds %d votes; %d typed votes were answered before it began", len(restored), len(committedBefore))
	for user := range committedBefore {
		if !restored[user] {
			t.Errorf("%s's vote was committed before the backup began but is not in it", user)
		}
	}
	for user := range startedAfter {
		if restored[user] {
			t.Errorf("%s voted after the backup ended, but the vote is in it", user)
		}
	}
	for user := range restored {
		if !inFile[user] {
			t.Errorf("%s's vote is in the backup but not in the data file", user)
		}
	}
	if len(startedAfter) == 0 || len(committedBefore) == 0 {
		t.Errorf("the storm did not surround the backup: %d votes before, %d after", len(committedBefore), len(startedAfter))
	}
	os.Remove(backup)
}
