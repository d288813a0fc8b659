package control

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/waardenbot/waardenbot/internal/testkit"
)

// serve runs a server on a socket in a new folder whose copy is data, and
// returns the socket's path and the server's log. The server stops at the
// end of the test.
func serve(t *testing.T, data []byte, fail error) (string, *testkit.Buffer) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, SocketName)
	logs := &testkit.Buffer{}
	s := &Server{Path: path, Log: slog.New(slog.NewTextHandler(logs, nil)),
		Backup: func(ctx context.Context, w io.Writer) (int64, error) {
			if fail != nil {
				return 0, fail
			}
			n, err := w.Write(data)
			return int64(n), err
		}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the socket is left after the server stopped: %v", err)
		}
	})
	testkit.WaitFor(t, "the control socket", func() bool { return strings.Contains(logs.String(), "control socket listening") })
	return path, logs
}

func TestRequestBackupGetsTheBotsCopyThroughAPrivateSocket(t *testing.T) {
	data := bytes.Repeat([]byte("waardenbot "), 100_000)
	path, logs := serve(t, data, nil)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 || fi.Mode().Type() != os.ModeSocket {
		t.Errorf("socket %v %v, want a socket with mode 0600", fi.Mode(), err)
	}
	var got bytes.Buffer
	n, err := RequestBackup(context.Background(), path, &got)
	if err != nil || n != int64(len(data)) || !bytes.Equal(got.Bytes(), data) {
		t.Fatalf("%d bytes, %v", n, err)
	}
	testkit.WaitFor(t, "the copy in the log", func() bool {
		return strings.Contains(logs.String(), "backup sent over the control socket\" bytes=1100000")
	})
	// The spooled copy is gone from the folder.
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("the folder holds %v", entries)
	}
}

func TestRequestBackupSaysWhyTheBotCouldNotCopy(t *testing.T) {
	path, _ := serve(t, nil, errors.New("disk full"))
	if _, err := RequestBackup(context.Background(), path, io.Discard); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("got %v", err)
	}
}

func TestRequestBackupWithoutABotIsErrNoBot(t *testing.T) {
	dir := t.TempDir()
	if _, err := RequestBackup(context.Background(), filepath.Join(dir, SocketName), io.Discard); !errors.Is(err, ErrNoBot) {
		t.Errorf("no socket: %v", err)
	}
	// A socket a crashed bot left behind.
	stale := filepath.Join(dir, SocketName)
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: stale, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	if _, err := RequestBackup(context.Background(), stale, io.Discard); !errors.Is(err, ErrNoBot) {
		t.Errorf("a stale socket: %v", err)
	}
}

func TestServerReplacesASocketACrashedBotLeftBehind(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, SocketName)
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	logs := &testkit.Buffer{}
	s := &Server{Path: path, Log: slog.New(slog.NewTextHandler(logs, nil)),
		Backup: func(ctx context.Context, w io.Writer) (int64, error) {
			n, err := w.Write([]byte("copy"))
			return int64(n), err
		}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	testkit.WaitFor(t, "the control socket", func() bool { return strings.Contains(logs.String(), "control socket listening") })
	if _, err := RequestBackup(ctx, path, io.Discard); err != nil {
		t.Error(err)
	}
}

func TestOnlyTheBotsUserAndRootMayAsk(t *testing.T) {
	if !allowed(os.Getuid()) || !allowed(0) {
		t.Error("the bot's own user or root is refused")
	}
	if os.Getuid() != 4242 && allowed(4242) {
		t.Error("another user is allowed")
	}
}

// TestAnotherUserIsRefusedEvenWhenTheSocketIsOpenedUp runs a client as
// the user nobody against a socket and folder whose modes were opened up
// by mistake: the peer check still refuses it. It needs root.
func TestAnotherUserIsRefusedEvenWhenTheSocketIsOpenedUp(t *testing.T) {
	if os.Getenv("CONTROL_HELPER_SOCKET") != "" {
		_, err := RequestBackup(context.Background(), os.Getenv("CONTROL_HELPER_SOCKET"), io.Discard)
		if err == nil {
			os.Exit(0)
		}
		os.Stderr.WriteString(err.Error())
		os.Exit(3)
	}
	if os.Getuid() != 0 {
		t.Skip("needs root to run a client as another user")
	}
	path, logs := serve(t, []byte("secret data"), nil)
	// t.TempDir's folders are private: open them up too.
	for _, p := range []string{filepath.Dir(filepath.Dir(path)), filepath.Dir(path), path} {
		os.Chmod(p, 0o777)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The test binary must be reachable by nobody.
	bin := filepath.Join(t.TempDir(), "control.test")
	data, _ := os.ReadFile(exe)
	os.WriteFile(bin, data, 0o755)
	os.Chmod(filepath.Dir(bin), 0o755)
	os.Chmod(filepath.Dir(filepath.Dir(bin)), 0o755)
	for d := filepath.Dir(filepath.Dir(bin)); d != "/"; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.Mode().Perm()&0o001 == 0 {
			t.Skipf("%s is not reachable by other users", d)
		}
	}
	cmd := exec.Command(bin, "-test.run=^TestAnotherUserIsRefusedEvenWhenTheSocketIsOpenedUp$")
	cmd.Env = append(os.Environ(), "CONTROL_HELPER_SOCKET="+path)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("user nobody got a copy: %s", out)
	}
	t.Logf("the client as nobody: %v: %s", err, out)
	testkit.WaitFor(t, "the refusal in the log", func() bool {
		return strings.Contains(logs.String(), "refused a connection from another user\" uid=65534")
	})
}
