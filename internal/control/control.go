// Package control is the running bot's control socket: a Unix socket in
// the data directory through which `waardenbot backup` asks the running
// bot for a copy of its data file. It opens no network port.
//
// Who may ask: the socket has mode 0600 and lives in the data directory
// (mode 0700), so the kernel lets only the bot's own user and root
// connect. The server checks each peer's credentials as well (SO_PEERCRED
// on Linux) and answers only its own user and root, so that a data
// directory made more open by mistake opens nothing. There is no token:
// the socket's permissions are the bot's own file permissions, which
// guard the data file the copy is made of anyway.
//
// The protocol: the client sends one line naming the request, "backup";
// the server answers with one line of JSON, {"size":N} or {"error":"…"},
// and for a backup then exactly N bytes, the copy.
package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// SocketName is the control socket's name in the data directory.
const SocketName = "waardenbot.sock"

// ErrNoBot means no bot answers on the control socket: there is none, or
// one that stopped left it behind.
var ErrNoBot = errors.New("no running waardenbot answers on the control socket")

// How long a client may take: to send its request, and to take a copy.
const (
	requestTimeout = 10 * time.Second
	copyTimeout    = 30 * time.Minute
)

// Server answers on the control socket.
type Server struct {
	Path string // the socket, data_dir/waardenbot.sock
	// Backup writes a consistent copy of the data file to w (the store's
	// Backup). The server spools it to a file of its own in the socket's
	// folder first, so that a slow client never holds the store's read
	// transaction open.
	Backup func(ctx context.Context, w io.Writer) (int64, error)
	Log    *slog.Logger

	mu sync.Mutex // one copy at a time
}

// Run serves on the socket until ctx ends, then removes it. The caller
// must hold the data file, so that no other bot serves the same folder: a
// socket left behind by a bot that crashed is replaced. When the socket
// cannot be made, Run logs why and what to do and waits for ctx without
// it: the bot serves the chat regardless, and `waardenbot backup` says
// that no bot answers.
func (s *Server) Run(ctx context.Context) error {
	ln, err := s.listen()
	if err != nil {
		s.Log.Error("control socket not available; `waardenbot backup` cannot ask this bot for a copy", "path", s.Path, "error", err,
			"fix", "make sure the data directory is writable by the bot and its path is short enough for a Unix socket (about 100 bytes); scheduled backups ([backup]) still run")
		<-ctx.Done()
		return nil
	}
	s.Log.Info("control socket listening", "path", s.Path)
	var wg sync.WaitGroup
	defer wg.Wait()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		conn, err := ln.AcceptUnix()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.Log.Warn("control socket: accept failed", "error", err)
			select { // out of file descriptors, say: let some close
			case <-ctx.Done():
			case <-time.After(100 * time.Millisecond):
			}
			continue
		}
		wg.Go(func() { s.serve(ctx, conn) })
	}
}

// listen makes the socket, mode 0600.
func (s *Server) listen() (*net.UnixListener, error) {
	if fi, err := os.Lstat(s.Path); err == nil && fi.Mode().Type() == fs.ModeSocket {
		os.Remove(s.Path)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: s.Path, Net: "unix"})
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(s.Path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// header is the server's first line.
type header struct {
	Size  int64  `json:"size"`
	Error string `json:"error,omitempty"`
}

func (s *Server) serve(ctx context.Context, conn *net.UnixConn) {
	defer conn.Close()
	switch uid, err := peerUID(conn); {
	case err != nil:
		s.Log.Warn("control socket: refused a connection whose user is unknown", "error", err)
		return
	case !allowed(uid):
		s.Log.Warn("control socket: refused a connection from another user", "uid", uid)
		return
	}
	conn.SetDeadline(time.Now().Add(requestTimeout))
	line, err := bufio.NewReader(io.LimitReader(conn, 64)).ReadString('\n')
	if err != nil {
		return
	}
	if line != "backup\n" {
		json.NewEncoder(conn).Encode(header{Error: fmt.Sprintf("unknown request %q", line)})
		return
	}
	conn.SetDeadline(time.Now().Add(copyTimeout))
	start := time.Now()
	n, err := s.sendBackup(ctx, conn)
	if err != nil {
		s.Log.Error("backup for `waardenbot backup` failed", "error", err,
			"fix", "check that the data directory has room for one more copy of the data file and that the client kept reading; then run waardenbot backup again")
		return
	}
	s.Log.Info("backup sent over the control socket", "bytes", n, "took", time.Since(start).Round(time.Millisecond))
}

// sendBackup writes the header and the copy to conn.
func (s *Server) sendBackup(ctx context.Context, conn net.Conn) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	spool, err := os.CreateTemp(filepath.Dir(s.Path), ".waardenbot-backup-*.partial") // mode 0600
	if err != nil {
		json.NewEncoder(conn).Encode(header{Error: "the bot cannot write its copy: " + err.Error()})
		return 0, err
	}
	os.Remove(spool.Name()) // the open file stays readable; nothing is left behind
	defer spool.Close()
	n, err := s.Backup(ctx, spool)
	if err == nil {
		_, err = spool.Seek(0, io.SeekStart)
	}
	if err != nil {
		json.NewEncoder(conn).Encode(header{Error: "the bot could not copy its data file: " + err.Error()})
		return 0, err
	}
	if err := json.NewEncoder(conn).Encode(header{Size: n}); err != nil {
		return 0, err
	}
	return io.CopyN(conn, spool, n)
}

// allowed says whether a peer with uid may use the socket: the bot's own
// user and root.
func allowed(uid int) bool { return uid == os.Getuid() || uid == 0 }

// RequestBackup asks the bot listening on the socket at path for a copy of
// its data file and writes it to w. It returns the copy's size, or ErrNoBot
// when nothing listens there.
func RequestBackup(ctx context.Context, path string, w io.Writer) (int64, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", path)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ECONNREFUSED):
		return 0, ErrNoBot
	case errors.Is(err, fs.ErrPermission):
		return 0, fmt.Errorf("%w: run waardenbot backup as the bot's user or as root", err)
	case err != nil:
		return 0, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if _, err := io.WriteString(conn, "backup\n"); err != nil {
		return 0, err
	}
	r := bufio.NewReader(conn)
	line, err := r.ReadBytes('\n')
	if err != nil {
		return 0, fmt.Errorf("the bot closed the control socket without an answer (see its log): %w", err)
	}
	var h header
	if err := json.Unmarshal(line, &h); err != nil {
		return 0, fmt.Errorf("the control socket's answer: %w", err)
	}
	if h.Error != "" {
		return 0, errors.New(h.Error)
	}
	n, err := io.CopyN(w, r, h.Size)
	if err != nil {
		return n, fmt.Errorf("the copy ended after %d of %d bytes: %w", n, h.Size, err)
	}
	return n, nil
}
