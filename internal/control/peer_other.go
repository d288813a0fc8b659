//go:build !linux

package control

import (
	"net"
	"os"
)

// peerUID cannot ask the kernel on this system; the socket's mode (0600 in
// a 0700 folder) is the only guard, and every peer counts as the bot's
// own user.
func peerUID(*net.UnixConn) (int, error) { return os.Getuid(), nil }
