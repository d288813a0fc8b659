package slack

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"
)

// TestPlainTextGolden decodes the examples of Slack's "Formatting text for
// app surfaces" page, and the cases around them, as testdata lists them.
// With -update the file gets the decoder's current output.
func TestPlainTextGolden(t *testing.T) {
	path := filepath.Join("testdata", "slack_text.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Name  string `json:"name"`
		Slack string `json:"slack"`
		Plain string `json:"plain"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for i, tc := range cases {
		got := plainText(tc.Slack)
		if testkit.Updating() {
			cases[i].Plain = got
			continue
		}
		if got != tc.Plain {
			t.Errorf("%s: plainText(%q) = %q, want %q", tc.Name, tc.Slack, got, tc.Plain)
		}
	}
	if testkit.Updating() {
		// One case a line, as the file is written by hand.
		q := func(s string) string {
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			enc.Encode(s)
			return strings.TrimSuffix(b.String(), "\n")
		}
		lines := make([]string, len(cases))
		for i, c := range cases {
			lines[i] = fmt.Sprintf(`  {"name": %s, "slack": %s, "plain": %s}`, q(c.Name), q(c.Slack), q(c.Plain))
		}
		out := "[\n" + strings.Join(lines, ",\n") + "\n]\n"
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStripMentionRemovesOnlyTheBotsLeadingMention(t *testing.T) {
	tests := []struct {
		name, text, bot, want string
	}{
		{"the bot", "<@UBOT> waarde privacy", "UBOT", "waarde privacy"},
		{"the bot with a name", "<@UBOT|waardenbot> waarde privacy", "UBOT", "waarde privacy"},
		{"someone else", "<@U999> waarde privacy", "UBOT", "<@U999> waarde privacy"},
		{"bot not known yet", "<@U999> waarde privacy", "", "waarde privacy"},
		{"no mention", "  waarde privacy ", "UBOT", "waarde privacy"},
		{"an entity is no mention", "&lt;@UBOT&gt; waarde", "UBOT", "&lt;@UBOT&gt; waarde"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := stripMention(tc.text, tc.bot); got != tc.want {
				t.Errorf("stripMention(%q, %q) = %q, want %q", tc.text, tc.bot, got, tc.want)
			}
		})
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"<@U1> &amp;lt;", "<https://x|a &amp; b>", "<!date^1^{date}|x>", "<", "&", "<#C1|>", "<!subteam^S1>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := plainText(s)
		if !strings.ContainsAny(s, "<&") && got != s {
			t.Errorf("plainText changed text without references or entities: %q → %q", s, got)
		}
		if len(got) > len(s) {
			t.Errorf("plainText made the text longer: %q → %q", s, got)
		}
	})
}

// TestEncodedDirectMessageSearchesWhatWasTyped: "vragen ict & beheer"
// typed in a DM arrives as "vragen ict &amp; beheer".
func TestEncodedDirectMessageSearchesWhatWasTyped(t *testing.T) {
	api := newFakeSlack(t)
	now := time.Now()
	a := newTestAdapter(t, api, now)
	a.botUserID = "UBOT"
	body := eventBody("Ev0TXT1", `{"type":"message","channel_type":"im","user":"U1","text":"vragen ict &amp; beheer","ts":"1.4","channel":"D1"}`)
	post(t, a.Handler(), "/slack/events", body, sign(testSecret, now, body), "application/json")
	testkit.WaitFor(t, "the answer", func() bool { return len(api.sent("chat.postMessage")) > 0 })
	text := api.sent("chat.postMessage")[0].Form.Get("text")
	if !strings.Contains(text, "*Ict-beheer*") || strings.Contains(text, "&amp;amp;") {
		t.Errorf("answer to ict & beheer:\n%s", text)
	}
}

// TestMentionedCasusIsPlainText: a casus asked in a mention keeps a link's
// label, a channel's name, and a channel-wide mention that pings nobody.
func TestMentionedCasusIsPlainText(t *testing.T) {
	api := newFakeSlack(t)
	a, b, _ := newReplayAdapter(t, api)
	a.botUserID = "UBOT"
	text := "<@UBOT> casus Moet <!channel> in <#C024BE7LR|general> de <https://example.com/notitie?a=1&amp;b=2|notitie &amp; bijlage> lezen? | privacy, orde"
	body := eventBody("Ev0TXT2", `{"type":"app_mention","user":"U1","text":`+quoteJSON(text)+`,"ts":"1.1","channel":"C1","event_ts":"1.1"}`)
	post(t, a.Handler(), "/slack/events", body, sign(testSecret, time.Now(), body), "application/json")
	testkit.WaitFor(t, "the poll", func() bool { return len(api.sent("chat.postMessage")) > 0 })
	id := pollIDFrom(t, lastBlocks(t, api.sent("chat.postMessage")))
	p := b.PollMessage(t.Context(), id).Poll
	if want := "Moet @\u2060channel in #general de notitie & bijlage lezen?"; p.Question != want {
		t.Errorf("question %q, want %q", p.Question, want)
	}
	posted := api.sent("chat.postMessage")[0].Form
	for _, field := range []string{"text", "blocks"} {
		if s := posted.Get(field); strings.Contains(s, "@channel") || strings.Contains(s, "<!") || strings.Contains(s, "&amp;amp;") {
			t.Errorf("posted %s can ping or shows entities: %s", field, s)
		}
	}
}
