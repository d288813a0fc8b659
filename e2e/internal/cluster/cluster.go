// Package cluster runs several `waardenbot run` processes in Slack's HTTP
// mode on one PostgreSQL database, with a fake Slack Web API that records
// what they post: what the failover tests (e2e/cluster) and the failover
// and latency measurements (e2e/failover) share. Everything listens on
// loopback addresses only.
package cluster

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Secret is the signing secret every instance is given.
const Secret = "cluster-signing-secret"

// Build builds waardenbot into dir and returns the binary's path.
func Build(dir string) (string, error) {
	bin := filepath.Join(dir, "waardenbot")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/waardenbot/waardenbot/cmd/waardenbot")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build waardenbot: %w", err)
	}
	return bin, nil
}

// Post is a message an instance posted through the Web API, or an answer
// it sent to a response_url.
type Post struct {
	Method  string // "chat.postMessage", "chat.update", "response_url", …
	Channel string
	Text    string
	Raw     string // the request's body
}

// Slack is a fake Slack Web API: it answers every method with ok and
// records what the instances post. It also serves the response_url of
// the commands that Command sends.
type Slack struct {
	*httptest.Server
	mu    sync.Mutex
	posts []Post
	ts    atomic.Int64
}

// NewSlack starts a fake Slack Web API on a loopback address.
func NewSlack() *Slack {
	s := &Slack{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

func (s *Slack) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	p := Post{Method: method, Raw: string(body)}
	if strings.HasPrefix(r.URL.Path, "/response/") {
		p.Method = "response_url"
		var m struct {
			Text string `json:"text"`
		}
		json.Unmarshal(body, &m)
		p.Text, p.Channel = m.Text, strings.TrimPrefix(r.URL.Path, "/response/")
	} else if form, err := url.ParseQuery(string(body)); err == nil {
		p.Channel, p.Text = form.Get("channel"), form.Get("text")
	}
	s.mu.Lock()
	s.posts = append(s.posts, p)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "auth.test":
		fmt.Fprint(w, `{"ok":true,"user_id":"UBOT","team_id":"T1","user":"waardenbot"}`)
	default:
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1700000000.%06d"}`, p.Channel, s.ts.Add(1))
	}
}

// Posts returns what was posted with method to channel ("" for any).
func (s *Slack) Posts(method, channel string) []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Post
	for _, p := range s.posts {
		if p.Method == method && (channel == "" || p.Channel == channel) {
			out = append(out, p)
		}
	}
	return out
}

// Instance is one `waardenbot run` process.
type Instance struct {
	Name string
	Addr string // its Slack HTTP listener
	cmd  *exec.Cmd
	logs *Log
	done chan struct{}
}

// Log is a process's stderr, safe to read while it is written.
type Log struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Config is what every instance of a cluster gets.
type Config struct {
	Bin   string   // the waardenbot binary
	DSN   string   // the database
	Dir   string   // a folder for their data_dir
	Slack *Slack   // the fake Web API
	Env   []string // more environment, KEY=value
}

// Start starts an instance named name on a free loopback port and waits
// until its /healthz answers.
func Start(cfg Config, name string) (*Instance, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	in := &Instance{Name: name, Addr: addr, logs: &Log{}, done: make(chan struct{})}
	in.cmd = exec.Command(cfg.Bin, "run")
	var env []string
	for _, kv := range os.Environ() {
		// The bot refuses WAARDENBOT_ variables it does not know, such as
		// the tests' own.
		if !strings.HasPrefix(kv, "WAARDENBOT_") {
			env = append(env, kv)
		}
	}
	in.cmd.Env = append(env,
		"WAARDENBOT_SLACK_ENABLED=true", "WAARDENBOT_SLACK_MODE=http", "WAARDENBOT_SLACK_LISTEN="+addr,
		"WAARDENBOT_SLACK_SIGNING_SECRET="+Secret, "WAARDENBOT_SLACK_BOT_TOKEN=xoxb-cluster",
		"WAARDENBOT_SLACK_API_URL="+cfg.Slack.URL+"/api/",
		"WAARDENBOT_STORE_KIND=postgres", "WAARDENBOT_STORE_DSN="+cfg.DSN,
		"WAARDENBOT_DATA_DIR="+filepath.Join(cfg.Dir, name), "WAARDENBOT_LOG_LEVEL=debug")
	in.cmd.Env = append(in.cmd.Env, cfg.Env...)
	in.cmd.Stdout, in.cmd.Stderr = in.logs, in.logs
	if err := in.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { in.cmd.Wait(); close(in.done) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return in, nil
			}
		}
		select {
		case <-in.done:
			return nil, fmt.Errorf("%s exited: %s", name, in.logs)
		default:
		}
		if time.Now().After(deadline) {
			in.Kill()
			return nil, fmt.Errorf("%s did not answer /healthz within 30 s: %s", name, in.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Logs returns what the instance logged.
func (in *Instance) Logs() string { return in.logs.String() }

// Leading reports how many terms as leader the instance has begun.
func (in *Instance) Leading() int {
	return strings.Count(in.logs.String(), "leading: this instance runs")
}

// Kill ends the process with SIGKILL and waits for it.
func (in *Instance) Kill() {
	in.cmd.Process.Kill()
	<-in.done
}

// Stop ends the process with SIGTERM and waits for it.
func (in *Instance) Stop() {
	in.cmd.Process.Signal(syscall.SIGTERM)
	<-in.done
}

// Freeze stops the process (SIGSTOP): it holds its connections and its
// lock but does nothing, as a machine that hangs.
func (in *Instance) Freeze() { in.cmd.Process.Signal(syscall.SIGSTOP) }

// Resume lets a frozen process go on (SIGCONT).
func (in *Instance) Resume() { in.cmd.Process.Signal(syscall.SIGCONT) }

// Exited reports whether the process has ended.
func (in *Instance) Exited() bool {
	select {
	case <-in.done:
		return true
	default:
		return false
	}
}

// Command sends a signed slash command as user in channel and returns the
// status and the answer's text: the HTTP response's (Slack waits 3 s for
// it), or what the instance then sent to the command's response_url,
// until ctx ends. Each call has its own
// trigger_id, as Slack's commands do.
func Command(ctx context.Context, s *Slack, addr, user, channel, command, text string) (int, string, error) {
	trigger := fmt.Sprintf("%d.%d.%s", time.Now().UnixNano(), rnd.Add(1), user)
	respPath := "/response/" + url.PathEscape(trigger)
	form := url.Values{"token": {"x"}, "team_id": {"T1"}, "team_domain": {"raad"}, "channel_id": {channel},
		"channel_name": {"raad"}, "user_id": {user}, "user_name": {user}, "command": {command}, "text": {text},
		"api_app_id": {"A1"}, "is_enterprise_install": {"false"}, "response_url": {s.URL + respPath}, "trigger_id": {trigger}}
	body := form.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(Secret))
	mac.Write([]byte("v0:" + ts + ":" + body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := slackClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m struct {
		Text string `json:"text"`
	}
	json.Unmarshal(raw, &m)
	if m.Text != "" || resp.StatusCode != http.StatusOK {
		return resp.StatusCode, m.Text, nil
	}
	// Acknowledged only: the answer follows through response_url.
	for {
		if got := s.Posts("response_url", url.PathEscape(trigger)); len(got) > 0 {
			return resp.StatusCode, got[0].Text, nil
		}
		select {
		case <-ctx.Done():
			return resp.StatusCode, "", ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

var rnd atomic.Int64

// slackClient gives up on an answer after 3 s, as Slack does.
var slackClient = &http.Client{Timeout: 3 * time.Second}
