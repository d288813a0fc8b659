// Package loadgen sends signed Slack slash commands to a server on this
// machine the way Slack does: every command has its own trigger_id, and so
// its own signature, with a fresh timestamp. A server that remembers
// signatures against replays (as waardenbot does) must do the whole work
// for every one of them; a load generator that resent one signed body
// would measure how fast it answers a replay instead.
//
// It is built to cost the server's core as little as possible and to stay
// out of the numbers:
//
//   - A [Command] is serialised once as HTTP/1.1 bytes and changed in
//     place for every request (the trigger_id's counter, the timestamp,
//     the signature from a reused HMAC): no allocation per request.
//   - Requests go over raw kept-alive TCP connections; a
//     [ResponseReader] reads the answers (a Content-Length or a chunked
//     body), again without allocating per answer.
//   - [RunClosed] is a closed loop: a number of connections, each sending
//     its next command as soon as its last one is answered.
//   - [RunOpen] is an open loop: every request has a planned send time
//     and its latency counts from that moment, so a server that falls
//     behind is not hidden by the generator waiting for it (no
//     coordinated omission). The send times come from a timerfd on Linux
//     (within tens of microseconds) rather than from time.Sleep, whose
//     timers the Go runtime wakes with millisecond resolution: a sleeping
//     generator is about half a millisecond late on average, which would
//     show as the server's latency.
//
// Every answer is checked ([Tally]): a correct answer is a 200 whose body
// is not empty and contains the target's Expect text. An empty 200 is how
// waardenbot answers a repeated signature, so a run that measured replays
// shows up as wrong answers rather than as a fast server.
//
// Only for loopback addresses: this is a load generator for a server you
// run yourself.
package loadgen

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Target is where commands go, what they say, and what a correct answer
// contains.
type Target struct {
	Addr    string // host:port of the server, a loopback address; several separated by commas
	Path    string // the slash command endpoint, "/slack/commands"
	Secret  string // the signing secret the server was given
	Command string // the slash command, "/waarde"
	Text    string // its text, "privacy"
	// Expect is text that every correct answer's body contains, such as
	// "Privacy" for /waarde privacy. Empty: any non-empty body.
	Expect string
}

// check refuses targets that are not on this machine.
// addrs are the servers of t.Addr, which may name several, separated by
// commas (instances behind a load balancer): connections go to each in
// turn.
func (t Target) addrs() []string { return strings.Split(t.Addr, ",") }

func (t Target) check() error {
	for _, a := range t.addrs() {
		if err := checkAddr(a); err != nil {
			return err
		}
	}
	if t.Path == "" || t.Path[0] != '/' {
		return fmt.Errorf("target path %q must start with /", t.Path)
	}
	return nil
}

func checkAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("target address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("target address %q is not a loopback address: only load a server on this machine", addr)
	}
	return nil
}

// Signature is Slack's v0 signature of a request: "v0=" and the hex
// HMAC-SHA256, keyed with the signing secret, of "v0:" + timestamp + ":"
// + body.
func Signature(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// Lengths of the fields a Command changes in place.
const (
	timestampDigits = 10 // Unix seconds, from 2001 until 2286
	counterDigits   = 10 // requests per stream
	signatureHex    = 2 * sha256.Size
)

// Command is one connection's stream of signed slash commands: a request
// serialised once, of which Next makes the next one in place. Every
// request has its own trigger_id, "<nonce>.<stream>.<counter>": as long as
// the connections of a run have streams with different numbers, no two
// of its requests have the same body or signature. A Command is not safe
// for concurrent use: give each connection its own.
type Command struct {
	req     []byte
	tsAt    int // offset of the timestamp header's value
	sigAt   int // offset of the signature's hex digits
	bodyAt  int // offset of the body
	countAt int // offset of the trigger_id's counter digits
	prefix  []byte
	mac     hash.Hash
	sum     [sha256.Size]byte
	second  int64 // the timestamp in req
}

// maxStreams is how many streams have different numbers.
const maxStreams = 10000

// NewCommand returns stream number stream (0 to 9,999) of target t, whose
// trigger_ids start with nonce (such as the time the run started, in
// nanoseconds).
func NewCommand(t Target, stream int, nonce int64) *Command {
	// What Slack sends for a slash command, in its order. The response_url
	// points at an address where nothing listens: a server that answers
	// later through it instead of in the response (waardenbot does for
	// slow commands) reaches nothing, and no request leaves the machine.
	body := "token=slackbench-verification-token&team_id=T0SLACKBENCH&team_domain=raad" +
		"&channel_id=C0SLACKBENCH&channel_name=raadzaal" + fmt.Sprintf("&user_id=U0SLACKBENCH%04d", stream%maxStreams) + "&user_name=slackbench" +
		"&command=" + url.QueryEscape(t.Command) + "&text=" + url.QueryEscape(t.Text) +
		"&api_app_id=A0SLACKBENCH&is_enterprise_install=false" +
		"&response_url=" + url.QueryEscape("http://127.0.0.1:9/commands/T0SLACKBENCH/1/slackbench") +
		fmt.Sprintf("&trigger_id=%d.%04d.", nonce, stream%maxStreams)
	head := "POST " + t.Path + " HTTP/1.1\r\n" +
		"Host: " + t.addrs()[0] + "\r\n" +
		"User-Agent: Slackbot 1.0 (+https://api.slack.com/robots)\r\n" +
		"Accept: application/json,*/*\r\n" +
		"Content-Type: application/x-www-form-urlencoded\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)+counterDigits) + "\r\n" +
		"X-Slack-Request-Timestamp: "
	c := &Command{mac: hmac.New(sha256.New, []byte(t.Secret))}
	c.req = append(c.req, head...)
	c.tsAt = len(c.req)
	c.req = append(c.req, "0000000000\r\nX-Slack-Signature: v0="...)
	c.sigAt = len(c.req)
	for range signatureHex {
		c.req = append(c.req, '0')
	}
	c.req = append(c.req, "\r\n\r\n"...)
	c.bodyAt = len(c.req)
	c.req = append(c.req, body...)
	c.countAt = len(c.req)
	for range counterDigits {
		c.req = append(c.req, '0')
	}
	c.prefix = []byte("v0:0000000000:")
	return c
}

// errTimestamp is a clock outside what a 10-digit timestamp can say.
var errTimestamp = errors.New("clock outside 2001–2286")

// Next returns the next request of the stream, timestamped now and
// signed. The bytes are valid until the next call of Next.
func (c *Command) Next(now time.Time) []byte {
	if sec := now.Unix(); sec != c.second {
		if sec < 1e9 || sec >= 1e10 {
			panic(errTimestamp)
		}
		var digits [20]byte
		ts := strconv.AppendInt(digits[:0], sec, 10)
		copy(c.req[c.tsAt:], ts)
		copy(c.prefix[3:], ts)
		c.second = sec
	}
	// The next trigger_id: count up in decimal, in place.
	for i := len(c.req) - 1; i >= c.countAt; i-- {
		if c.req[i] != '9' {
			c.req[i]++
			break
		}
		c.req[i] = '0'
	}
	c.mac.Reset()
	c.mac.Write(c.prefix)
	c.mac.Write(c.req[c.bodyAt:])
	hex.Encode(c.req[c.sigAt:c.sigAt+signatureHex], c.mac.Sum(c.sum[:0]))
	return c.req
}
