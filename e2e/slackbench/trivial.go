package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// serveTrivial is the server slackbench measures its own load generator
// against: raw TCP, no net/http, no signature check. It reads each
// request's headers, skips its body and writes a canned 200 of about the
// size of waardenbot's answer, containing the expected text. It is as
// cheap per request as a server can be, so that the generator (on its
// own CPU) is the limit; it runs until it is killed.
func serveTrivial(args []string) error {
	fs := flag.NewFlagSet("_trivial", flag.ContinueOnError)
	listen := fs.String("listen", os.Getenv("WAARDENBOT_SLACK_LISTEN"), "address to listen on")
	expect := fs.String("expect", "Privacy", "text the answer contains")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	return serveTrivialOn(ln, trivialAnswer(*expect))
}

// trivialAnswer is an HTTP answer of about 1,500 bytes that contains
// expect.
func trivialAnswer(expect string) []byte {
	body := `{"response_type":"in_channel","text":"` + expect + strings.Repeat(".", 1450) + `"}`
	return []byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n" + body)
}

// serveTrivialOn answers every request on ln's connections with answer
// until ln is closed.
func serveTrivialOn(ln net.Listener, answer []byte) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go trivialConn(c, answer)
	}
}

// trivialConn answers every request on c with answer.
func trivialConn(c net.Conn, answer []byte) {
	defer c.Close()
	br := bufio.NewReaderSize(c, 8<<10)
	for {
		length := 0
		for {
			line, err := br.ReadSlice('\n')
			if err != nil {
				return
			}
			if len(line) <= 2 { // the empty line after the headers
				break
			}
			name, value, ok := bytes.Cut(line, []byte(":"))
			if ok && bytes.EqualFold(name, []byte("Content-Length")) {
				if length, err = strconv.Atoi(string(bytes.TrimSpace(value))); err != nil {
					fmt.Fprintln(os.Stderr, "trivial: bad Content-Length")
					return
				}
			}
		}
		if _, err := br.Discard(length); err != nil {
			return
		}
		if _, err := c.Write(answer); err != nil {
			return
		}
	}
}
