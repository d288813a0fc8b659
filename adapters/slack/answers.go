package slack

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/waardenbot/waardenbot/bot"
)

// answerMemory is how many bytes of encoded answers the adapter keeps
// (adapters/internal/answers): about 500 answers of the usual 1.5 to 3
// KB, more than the book's names asked with both /waarde and /vragen.
const answerMemory = 1 << 20

// answer is the HTTP response to a slash command, encoded once: its body
// and the values of its headers. It is never changed once made, so one
// answer may be written to many responses at once.
type answer struct {
	body        []byte
	contentType []string
	length      []string // Content-Length
}

// encodeAnswer encodes the response to a slash command, as writeJSON
// would write it.
func encodeAnswer(v response) *answer {
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(v)
	body := bytes.Clone(buf.Bytes())
	return &answer{body: body, contentType: []string{"application/json"}, length: []string{strconv.Itoa(len(body))}}
}

// write writes the answer as the response. Setting the headers' values
// as they are, not through Header().Set, allocates nothing.
func (ans *answer) write(w http.ResponseWriter) {
	h := w.Header()
	h["Content-Type"] = ans.contentType
	h["Content-Length"] = ans.length
	w.Write(ans.body)
}

// size is what the answer holds in memory, besides the struct itself.
func (ans *answer) size() int { return cap(ans.body) + len(ans.length[0]) + 64 }

// keeps reports whether the response to cmd, answered by reply, may be
// kept for the same command and text: the bot says that its answer
// depends on them alone, and the response body is all of it (no form to
// open, no poll message to post, no files to upload after it).
func (a *Adapter) keeps(cmd slack.SlashCommand, reply bot.Reply) bool {
	return a.bot.Cacheable(strings.TrimPrefix(cmd.Command, "/")) &&
		reply.Form == nil && reply.Poll == nil && len(reply.Files) == 0
}

// formType is the media type of a form body.
const formType = "application/x-www-form-urlencoded"

// maxQuickFields is the most fields a form may have for quickKey; Slack
// sends about 15 with a slash command.
const maxQuickFields = 64

// quickKey appends to dst what the answer to a slash command is kept by:
// its command and text as the form carries them, still encoded
// ("%2Fwaarde&privacy"; a value cannot hold a raw &, so the key is one
// pair only). Other fields (who asks, where, the trigger_id) do not
// change a cacheable answer. It reads the form without parsing it into a
// map and allocates nothing, and reports false whenever the full parse
// must decide: a body that is not a form, a field url.ParseQuery would
// refuse (a semicolon, a bad %-escape), an ssl_check, no command, or more
// than maxQuickFields fields. The first command and text count, as with
// url.Values.Get.
func quickKey(dst []byte, r *http.Request, body []byte) ([]byte, bool) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), formType) {
		return dst, false
	}
	var command, text []byte
	hasCommand, hasText := false, false
	for fields := 1; ; fields++ {
		if fields > maxQuickFields {
			return dst, false
		}
		pair, rest, more := cutByte(body, '&')
		if !validFormPair(pair) {
			return dst, false
		}
		k, v, _ := cutByte(pair, '=')
		switch {
		case formKeyIs(k, "command"):
			if !hasCommand {
				command, hasCommand = v, true
			}
		case formKeyIs(k, "text"):
			if !hasText {
				text, hasText = v, true
			}
		case formKeyIs(k, "ssl_check"):
			return dst, false
		}
		if !more {
			break
		}
		body = rest
	}
	if !hasCommand {
		return dst, false
	}
	dst = append(dst, command...)
	dst = append(dst, '&')
	return append(dst, text...), true
}

func cutByte(s []byte, sep byte) (before, after []byte, found bool) {
	if i := bytes.IndexByte(s, sep); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, nil, false
}

// validFormPair reports whether url.ParseQuery takes a key=value pair:
// no semicolon, and every % followed by two hex digits.
func validFormPair(p []byte) bool {
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case ';':
			return false
		case '%':
			if i+2 >= len(p) || !isHex(p[i+1]) || !isHex(p[i+2]) {
				return false
			}
			i += 2
		}
	}
	return true
}

// formKeyIs reports whether the form key k, encoded and valid
// (validFormPair), decodes to name.
func formKeyIs(k []byte, name string) bool {
	n := 0
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch c {
		case '+':
			c = ' '
		case '%':
			c = unhex(k[i+1])<<4 | unhex(k[i+2])
			i += 2
		}
		if n == len(name) || name[n] != c {
			return false
		}
		n++
	}
	return n == len(name)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
