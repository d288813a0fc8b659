package main

// process.go starts the measured program, waits until it serves and reads
// its memory from /proc.

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// process is how a binary under measurement is started.
type process struct {
	addr, dataDir, config string
}

// start runs the binary until /healthz answers, sends one slash command if
// ask, and when after is not 0 waits until that long after its start; then
// it reads its memory, calls inspect (if not nil) and stops it with
// SIGTERM.
func (p *process) start(bin string, ask bool, after time.Duration, inspect func(pid int) error) (sample, error) {
	var smp sample
	cmd := exec.Command(bin, "run", "--config", p.config)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		// The same as in the config, for the baseline, which reads no config.
		"WAARDENBOT_SLACK_LISTEN=" + p.addr, "WAARDENBOT_DATA_DIR=" + p.dataDir}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}

	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return smp, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() error {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
			return nil
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
			return errors.New("did not stop within 10 s of SIGTERM")
		}
	}
	fail := func(format string, args ...any) (sample, error) {
		stop()
		return smp, fmt.Errorf(format+"; stderr:\n%s", append(args, stderr.String())...)
	}
	for smp.ready == 0 {
		if time.Since(t0) > 10*time.Second {
			return fail("no answer from /healthz within 10 s")
		}
		select {
		case err := <-exited:
			return smp, fmt.Errorf("exited before answering (%v); stderr:\n%s", err, stderr.String())
		default:
		}
		resp, err := client.Get("http://" + p.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				smp.ready = time.Since(t0)
				break
			}
		}
		time.Sleep(200 * time.Microsecond)
	}
	if ask {
		t := time.Now()
		if err := p.askPrivacy(client); err != nil {
			return fail("/waarde privacy: %v", err)
		}
		smp.answer = time.Since(t)
	}
	if after == 0 {
		return smp, stop()
	}
	ctx, cancel := context.WithDeadline(context.Background(), t0.Add(after))
	defer cancel()
	select {
	case err := <-exited:
		return smp, fmt.Errorf("exited (%v); stderr:\n%s", err, stderr.String())
	case <-ctx.Done():
	}
	pid := cmd.Process.Pid
	r, err := rollup(pid)
	if err != nil {
		return fail("%v", err)
	}
	smp.rss, smp.anon, smp.fb = r["Rss"], r["Anonymous"], r["Rss"]-r["Anonymous"]
	if inspect != nil {
		if err := inspect(pid); err != nil {
			return fail("%v", err)
		}
	}
	return smp, stop()
}

// askPrivacy sends Slack's signed slash command /waarde privacy and checks
// that the answer names the value.
func (p *process) askPrivacy(client *http.Client) error {
	body := url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"}, "user_name": {"footprint"},
		"command": {"/waarde"}, "text": {"privacy"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(signingSecret))
	mac.Write([]byte("v0:" + ts + ":" + body))
	req, err := http.NewRequest(http.MethodPost, "http://"+p.addr+"/slack/commands", strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "Privacy") {
		return fmt.Errorf("status %d, answer %.200q", resp.StatusCode, b)
	}
	return nil
}

// rollup reads /proc/PID/smaps_rollup into bytes per field.
func rollup(pid int) (map[string]int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := kBLine(sc.Text()); ok {
			out[k] = v
		}
	}
	return out, sc.Err()
}

// kBLine parses a line such as "Rss:   1234 kB" into bytes.
func kBLine(line string) (string, int64, bool) {
	k, rest, ok := strings.Cut(line, ":")
	f := strings.Fields(rest)
	if !ok || len(f) != 2 || f[1] != "kB" {
		return "", 0, false
	}
	v, err := strconv.ParseInt(f[0], 10, 64)
	return k, v * 1024, err == nil
}

// mapping is one mapping of /proc/PID/smaps.
type mapping struct {
	perms, name     string
	size, rss, anon int64
}

func readMaps(pid int) ([]mapping, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []mapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := kBLine(line); ok {
			if len(out) == 0 {
				continue
			}
			m := &out[len(out)-1]
			switch k {
			case "Size":
				m.size = v
			case "Rss":
				m.rss = v
			case "Anonymous":
				m.anon = v
			}
			continue
		}
		f := strings.Fields(line)
		if len(f) >= 5 && strings.Contains(f[0], "-") {
			name := "[anon]"
			if len(f) >= 6 {
				name = f[5]
			}
			out = append(out, mapping{perms: f[1], name: name})
		}
	}
	return out, sc.Err()
}
