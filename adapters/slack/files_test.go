package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot"
)

// castVotes starts a casus as U1 and has three people vote on it.
func castVotes(t *testing.T, a *Adapter, api *fakeSlack) string {
	t.Helper()
	slashCommand(t, a, "U1", "/casus", "Mag de gemeente camera's ophangen op het Hiëronymusplein? | privacy, orde, gelijkheid")
	id := pollIDFrom(t, lastBlocks(t, api.sent("chat.postMessage")))
	for u, choice := range map[string]string{"U2": "privacy", "U3": "privacy", "U4": "orde"} {
		if r := slashCommand(t, a, u, "/stem", id+" "+choice); r.code != http.StatusOK {
			t.Fatalf("stem: %d %s", r.code, r.body)
		}
	}
	return id
}

// completed are the files.completeUploadExternal calls: the files as
// shared, with the channel.
type completed struct {
	Channel, Thread string
	Files           []struct{ ID, Title string }
}

func completions(t *testing.T, api *fakeSlack) []completed {
	t.Helper()
	var out []completed
	for _, c := range api.sent("files.completeUploadExternal") {
		x := completed{Channel: c.Form.Get("channel_id"), Thread: c.Form.Get("thread_ts")}
		if err := json.Unmarshal([]byte(c.Form.Get("files")), &x.Files); err != nil {
			t.Fatalf("files %q: %v", c.Form.Get("files"), err)
		}
		out = append(out, x)
	}
	return out
}

func TestClosingACasusSharesItsChartInTheChannelWithBothUploadSteps(t *testing.T) {
	api := newFakeSlack(t)
	a, b := newPollAdapter(t, api)
	id := castVotes(t, a, api)
	r := slashCommand(t, a, "U1", "/sluit", id)
	if r.code != http.StatusOK || !strings.Contains(r.body, "Uitslag van peiling") || !strings.Contains(r.body, "in_channel") {
		t.Fatalf("the result's text is not in the response: %d %s", r.code, r.body)
	}
	testkit.WaitFor(t, "the upload completed", func() bool { return len(api.sent("files.completeUploadExternal")) == 1 })
	a.wait()

	// Step 1: an upload URL for the file's name and length, with its alt text.
	step1 := api.sent("files.getUploadURLExternal")
	if len(step1) != 1 {
		t.Fatalf("%d upload URLs asked for", len(step1))
	}
	up := api.uploaded()
	if len(up) != 1 {
		t.Fatalf("%d files reached the upload URL", len(up))
	}
	f := step1[0].Form
	if f.Get("filename") != "peiling-"+id+"-grafiek.png" || f.Get("length") != strconv.Itoa(len(up[0].Data)) {
		t.Errorf("upload URL asked for %q of %s bytes; %d bytes sent", f.Get("filename"), f.Get("length"), len(up[0].Data))
	}
	if alt := f.Get("alt_txt"); !strings.Contains(alt, "Privacy 2 stemmen (67%)") || !strings.Contains(alt, "Hiëronymusplein") {
		t.Errorf("alt text: %q", alt)
	}
	// Step 2: the bytes are the bot's chart, a PNG.
	want, err := b.ExportPoll(context.Background(), id, "png")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(up[0].Data, want.Data) {
		t.Errorf("the uploaded bytes (%d) are not the chart (%d)", len(up[0].Data), len(want.Data))
	}
	if _, err := png.Decode(bytes.NewReader(up[0].Data)); err != nil {
		t.Errorf("the upload is no PNG: %v", err)
	}
	// Step 3: shared in the poll's channel, with a title.
	c := completions(t, api)
	if c[0].Channel != "C1" || c[0].Files[0].ID != up[0].ID || c[0].Files[0].Title == "" {
		t.Errorf("completed %+v, uploaded %s", c[0], up[0].ID)
	}
}

func TestWhoVotedWhatGoesOnlyToTheCreatorsDirectMessages(t *testing.T) {
	api := newFakeSlack(t)
	a, _ := newPollAdapter(t, api)
	id := castVotes(t, a, api)

	if r := slashCommand(t, a, "U2", "/uitslag", id+" stemmen"); !strings.Contains(r.body, "alleen wie de peiling begon") {
		t.Errorf("a voter got who voted what: %s", r.body)
	}
	r := slashCommand(t, a, "U1", "/uitslag", id+" stemmen")
	if !strings.Contains(r.body, `"response_type":"ephemeral"`) || !strings.Contains(r.body, "peiling-"+id+"-stemmen.csv") {
		t.Fatalf("creator: %s", r.body)
	}
	testkit.WaitFor(t, "the note where the file is", func() bool { return len(api.sent("chat.postEphemeral")) == 1 })
	a.wait()
	if open := api.sent("conversations.open"); len(open) != 1 || open[0].Form.Get("users") != "U1" {
		t.Fatalf("conversations.open: %+v", open)
	}
	c := completions(t, api)
	if len(c) != 1 || c[0].Channel != "DU1" {
		t.Fatalf("shared in %+v, want the creator's direct messages only", c)
	}
	data := string(api.uploaded()[0].Data)
	for _, u := range []string{"U2", "U3", "U4"} {
		if !strings.Contains(data, u) {
			t.Errorf("the file lacks voter %s:\n%s", u, data)
		}
	}
	if note := api.sent("chat.postEphemeral")[0].Form; note.Get("user") != "U1" || note.Get("channel") != "C1" || !strings.Contains(note.Get("text"), "privégesprek") {
		t.Errorf("note: %v", note)
	}
}

func TestAFailedUploadIsTriedAgainAndTheTextStays(t *testing.T) {
	tests := []struct {
		name     string
		statuses []int
		uploads  int    // that reach the fake
		attempts int    // upload URLs asked for
		told     string // what the asker is told, if anything
	}{
		{"a server error, then it works", []int{500, 503}, 1, 3, ""},
		{"rate limited, then it works", []int{429}, 1, 2, ""},
		{"too large: not tried again", []int{413}, 0, 1, "te groot voor Slack"},
		{"down every time", []int{502, 502, 502, 502}, 0, uploadAttempts, "gaf een fout"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			api := newFakeSlack(t)
			a, _ := newPollAdapter(t, api)
			a.retryWait = time.Millisecond
			id := castVotes(t, a, api)
			api.mu.Lock()
			api.uploadStatus = tc.statuses
			api.mu.Unlock()
			r := slashCommand(t, a, "U2", "/uitslag", id+" csv")
			if !strings.Contains(r.body, "in_channel") || !strings.Contains(r.body, "CSV-bestand") {
				t.Fatalf("the text is lost: %s", r.body)
			}
			testkit.WaitFor(t, "the uploads to end", func() bool {
				return len(api.sent("files.getUploadURLExternal")) == tc.attempts &&
					(len(api.uploaded()) == tc.uploads) && (tc.told == "" || len(api.sent("chat.postEphemeral")) == 1)
			})
			a.wait()
			if n := len(api.sent("files.completeUploadExternal")); n != tc.uploads {
				t.Errorf("%d uploads completed, want %d", n, tc.uploads)
			}
			eph := api.sent("chat.postEphemeral")
			switch {
			case tc.told == "" && len(eph) > 0:
				t.Errorf("told %q after a file that went up", eph[0].Form.Get("text"))
			case tc.told != "" && (len(eph) != 1 || eph[0].Form.Get("user") != "U2" || !strings.Contains(eph[0].Form.Get("text"), tc.told)):
				t.Errorf("the asker was told %+v, want %q", eph, tc.told)
			}
		})
	}
}

func TestAResultAtItsDeadlineIsPostedOnceEvenWhenItsChartFails(t *testing.T) {
	api := newFakeSlack(t)
	a, b := newPollAdapter(t, api)
	a.retryWait = time.Millisecond
	r := b.HandleText(context.Background(), bot.Request{Platform: "slack", Channel: "C1", User: "U1"}, "/casus Camera's? | privacy, orde")
	b.HandleText(context.Background(), bot.Request{Platform: "slack", Channel: "C1", User: "U2"}, "/stem "+r.Poll.ID+" orde")
	closed := b.HandleText(context.Background(), bot.Request{Platform: "slack", Channel: "C1", User: "U1"}, "/sluit "+r.Poll.ID)
	if len(closed.Files) != 1 {
		t.Fatalf("the close carries %d files", len(closed.Files))
	}
	api.mu.Lock()
	api.uploadStatus = []int{413}
	api.mu.Unlock()
	if err := a.Post(context.Background(), bot.Destination{Platform: Platform, Channel: "C1"}, closed); err != nil {
		t.Errorf("Post: %v; the text went out, so the bot must not post it again", err)
	}
	a.wait()
	if n := len(api.sent("files.getUploadURLExternal")); n != 1 {
		t.Errorf("%d upload attempts of a file too large", n)
	}
	if n := len(api.sent("chat.postEphemeral")); n != 0 {
		t.Errorf("%d private messages to nobody", n)
	}
}

func TestAnExportCountsTheChannelsMembers(t *testing.T) {
	api := newFakeSlack(t)
	a, b := newPollAdapter(t, api)
	b.UseRosters(bot.Rosters{Platform: a})
	api.mu.Lock()
	api.members = []string{"U1", "U2", "U3", "U4", "U5", "U6", "U7"} // the bot is not a member
	api.mu.Unlock()
	id := castVotes(t, a, api)
	slashCommand(t, a, "U2", "/uitslag", id+" csv")
	testkit.WaitFor(t, "the CSV", func() bool { return len(api.uploaded()) == 1 })
	a.wait()
	if info := api.sent("conversations.info"); len(info) != 1 || info[0].Form.Get("include_num_members") != "true" {
		t.Errorf("conversations.info: %+v", info)
	}
	if csv := string(api.uploaded()[0].Data); !strings.Contains(csv, ";3;7;optie;") {
		t.Errorf("3 voters of 7 members not in the CSV:\n%s", csv)
	}
}

func TestTheCloseButtonSharesTheChartInTheChannel(t *testing.T) {
	api := newFakeSlack(t)
	a, _ := newPollAdapter(t, api)
	id := castVotes(t, a, api)
	click(t, a, "U1", "close", id)
	testkit.WaitFor(t, "the chart shared", func() bool { return len(api.sent("files.completeUploadExternal")) == 1 })
	a.wait()
	if c := completions(t, api); c[0].Channel != "C1" || api.uploaded()[0].Filename != "peiling-"+id+"-grafiek.png" {
		t.Errorf("shared %+v as %q", c[0], api.uploaded()[0].Filename)
	}
}
