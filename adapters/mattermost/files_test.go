package mattermost

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/waardenbot/waardenbot/bot"
)

// votedPoll starts anna's casus, has bob and carla vote, and returns the
// poll's ID.
func votedPoll(fx *pollFixture) string {
	fx.t.Helper()
	post := fx.startPoll()
	id := strings.Trim(strings.Fields(strings.SplitN(post.Message, "\n", 2)[0])[3], "`")
	fx.command("bob", "/stem "+id+" privacy")
	fx.command("carla", "/stem "+id+" privacy, gelijkheid")
	return id
}

// lastPost is the last post in channel.
func lastPost(t *testing.T, f *fakeMattermost, channel string) *model.Post {
	t.Helper()
	posts := f.postsIn(channel)
	if len(posts) == 0 {
		t.Fatalf("no post in %s", channel)
	}
	return posts[len(posts)-1]
}

func TestSluitPostsTheResultWithItsChartAttached(t *testing.T) {
	fx := newPollFixture(t)
	id := votedPoll(fx)
	resp := fx.command("anna", "/sluit "+id)
	if resp.ResponseType != model.CommandResponseTypeEphemeral || resp.Text != "" {
		t.Errorf("the response says %s %q; the bot posts the result itself", resp.ResponseType, resp.Text)
	}
	up := fx.f.uploaded()
	if len(up) != 1 || up[0].Channel != "chan1" || up[0].Name != "peiling-"+id+"-grafiek.png" {
		t.Fatalf("uploads: %+v", up)
	}
	if _, err := png.Decode(bytes.NewReader(up[0].Data)); err != nil {
		t.Errorf("the chart is no PNG: %v", err)
	}
	want, err := fx.a.bot.ExportPoll(context.Background(), id, "png")
	if err != nil || !bytes.Equal(want.Data, up[0].Data) {
		t.Errorf("the upload is not the bot's chart (%v)", err)
	}
	p := lastPost(t, fx.f, "chan1")
	if !strings.Contains(p.Message, "Uitslag van peiling `"+id+"`") || len(p.FileIds) != 1 || p.FileIds[0] != up[0].ID {
		t.Errorf("result post %q with files %v", p.Message, p.FileIds)
	}
}

func TestWhoVotedWhatGoesToTheCreatorsDirectChannelOnly(t *testing.T) {
	fx := newPollFixture(t)
	fx.a.me = &user{Id: botID, Username: botName}
	id := votedPoll(fx)
	if resp := fx.command("bob", "/uitslag "+id+" stemmen"); !strings.Contains(resp.Text, "alleen wie de peiling begon") || len(fx.f.uploaded()) != 0 {
		t.Errorf("bob asked for who voted what: %q, %d uploads", resp.Text, len(fx.f.uploaded()))
	}
	resp := fx.command("anna", "/uitslag "+id+" stemmen")
	if resp.ResponseType != model.CommandResponseTypeEphemeral || !strings.Contains(resp.Text, "privégesprek") {
		t.Errorf("response %s %q", resp.ResponseType, resp.Text)
	}
	up := fx.f.uploaded()
	if len(up) != 1 || up[0].Channel != "dm-anna" {
		t.Fatalf("uploads %+v, want one in anna's direct channel", up)
	}
	if data := string(up[0].Data); !strings.Contains(data, "bob") || !strings.Contains(data, "carla") {
		t.Errorf("the file lacks the voters:\n%s", data)
	}
	if p := lastPost(t, fx.f, "dm-anna"); len(p.FileIds) != 1 {
		t.Errorf("the direct message carries %d files", len(p.FileIds))
	}
	for _, p := range fx.f.postsIn("chan1") {
		if len(p.FileIds) > 0 {
			t.Errorf("a file was posted in the channel: %q", p.Message)
		}
	}
}

func TestAFailedUploadIsTriedAgainAndTheTextStays(t *testing.T) {
	tests := []struct {
		name     string
		status   []int
		files    int    // attached to the post
		tries    int    // upload requests
		response string // what the asker hears
	}{
		{"a server error, then it works", []int{http.StatusInternalServerError}, 1, 2, ""},
		{"rate limited, then it works", []int{http.StatusTooManyRequests}, 1, 2, ""},
		{"too large: not tried again", []int{http.StatusRequestEntityTooLarge}, 0, 1, "te groot voor Mattermost"},
		{"down every time", []int{502, 502, 502, 502}, 0, uploadAttempts, "gaf een fout"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fx := newPollFixture(t)
			fx.a.minBackoff, fx.a.maxBackoff = time.Millisecond, 5*time.Millisecond
			id := votedPoll(fx)
			fx.f.failUploads(tc.status...)
			resp := fx.command("bob", "/uitslag "+id+" csv")
			if !strings.Contains(resp.Text, tc.response) || (tc.response == "") != (resp.Text == "") {
				t.Errorf("the asker hears %q, want %q", resp.Text, tc.response)
			}
			p := lastPost(t, fx.f, "chan1")
			if !strings.Contains(p.Message, "CSV-bestand") || len(p.FileIds) != tc.files {
				t.Errorf("post %q with %d files, want the text with %d", p.Message, len(p.FileIds), tc.files)
			}
			fx.f.mu.Lock()
			tries := fx.f.files.tries
			fx.f.mu.Unlock()
			if tries != tc.tries {
				t.Errorf("%d upload requests, want %d", tries, tc.tries)
			}
		})
	}
}

func TestTheCSVCountsTheChannelsMembers(t *testing.T) {
	fx := newPollFixture(t)
	fx.a.bot.UseRosters(bot.Rosters{Platform: fx.a})
	fx.f.mu.Lock()
	for i := range 9 { // nine people; the bot may count users without bots
		fx.f.roster.users = append(fx.f.roster.users, &model.User{Id: fmt.Sprintf("user%d", i), Username: fmt.Sprintf("user%d", i)})
	}
	fx.f.roster.users = append(fx.f.roster.users, &model.User{Id: botID, Username: botName, IsBot: true})
	fx.f.roster.countHuman = true
	fx.f.mu.Unlock()
	id := votedPoll(fx)
	fx.command("bob", "/uitslag "+id+" csv")
	up := fx.f.uploaded()
	if len(up) != 1 || !strings.Contains(string(up[0].Data), ";2;9;optie;") {
		t.Errorf("2 voters of 9 members not in the CSV: %+v", up)
	}
}
