//go:build e2e

package mattermost

import (
	"bytes"
	"context"
	"encoding/csv"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// exports checks the files of a poll's result on the real server: each is
// uploaded into the channel and attached to the bot's post with the text,
// and what comes back through the API is what the bot made. anna starts a
// casus, bob and carla vote; bob asks for the CSV and the paragraph, anna
// closes it (the chart comes with the result), asks who voted what (only
// her direct channel with the bot gets it) and all polls of the channel.
func (s *e2eServer) exports(t *testing.T, ctx context.Context, a *Adapter) {
	anna, annaUser := s.user(t, ctx, "anna")
	bob, bobUser := s.user(t, ctx, "bob")
	carla, carlaUser := s.user(t, ctx, "carla")
	since := model.GetMillis() - 1
	must[*model.CommandResponse](t, "/casus")(anna.ExecuteCommand(ctx, s.channel.Id, "/casus max=2 Mag de gemeente de Hiëronymusstraat met camera's bewaken? | privacy, veiligheid, gelijkheid"))
	poll := s.botPostAfter(t, ctx, s.channel.Id, since, "Hiëronymusstraat", 10*time.Second)
	id := strings.Trim(strings.Fields(strings.SplitN(poll.Message, "\n", 2)[0])[3], "`")
	must[*model.CommandResponse](t, "bob /stem")(bob.ExecuteCommand(ctx, s.channel.Id, "/stem "+id+" privacy, veiligheid"))
	must[*model.CommandResponse](t, "carla /stem")(carla.ExecuteCommand(ctx, s.channel.Id, "/stem "+id+" privacy"))

	// The CSV, in the channel, with the channel's members as the server counts them.
	since = model.GetMillis() - 1
	resp := must[*model.CommandResponse](t, "/uitslag csv")(bob.ExecuteCommand(ctx, s.channel.Id, "/uitslag "+id+" csv"))
	if resp.Text != "" {
		t.Errorf("/uitslag csv answered %q; the bot posts the file itself", resp.Text)
	}
	post := s.botPostAfter(t, ctx, s.channel.Id, since, "peiling-"+id+"-uitslag.csv", 10*time.Second)
	data := s.download(t, ctx, s.admin, post, "peiling-"+id+"-uitslag.csv", "text/csv")
	rows := readCSV(t, data)
	// The channel's members as the bot counts them for a poll's
	// participation line (people, no bots; the same count, kept a
	// minute): the one on the poll's post, or today's if that minute
	// passed in between.
	shown := regexp.MustCompile(`van (\d+) kanaalleden`).FindStringSubmatch(must[*model.Post](t, "poll post")(s.admin.GetPost(ctx, poll.Id, "")).Attachments()[0].Text)
	if shown == nil {
		t.Fatalf("the poll's post shows no participation")
	}
	members := rows[1][11]
	if members != shown[1] && members != strconv.Itoa(s.humans(t, ctx, s.channel.Id)) {
		t.Errorf("the CSV counts %s members; the poll's post %s, the channel now %d people", members, shown[1], s.humans(t, ctx, s.channel.Id))
	}
	if got := strings.Join(append([]string{rows[1][10]}, rows[1][12:18]...), ";"); got != "2;optie;privacy;Privacy;Vrijheid;ja;2" {
		t.Errorf("first row %s", got)
	}

	// The paragraph: Markdown and HTML, both attached to one post.
	since = model.GetMillis() - 1
	must[*model.CommandResponse](t, "/uitslag paragraaf")(bob.ExecuteCommand(ctx, s.channel.Id, "/uitslag "+id+" paragraaf"))
	post = s.botPostAfter(t, ctx, s.channel.Id, since, "waardenparagraaf", 10*time.Second)
	if md := s.download(t, ctx, s.admin, post, "peiling-"+id+"-waardenparagraaf.md", ""); !bytes.Contains(md, []byte("## Gewogen waarden")) {
		t.Errorf("paragraph:\n%s", md)
	}
	if html := s.download(t, ctx, s.admin, post, "peiling-"+id+"-waardenparagraaf.html", ""); !bytes.Contains(html, []byte(`<html lang="nl">`)) {
		t.Errorf("page:\n%.300s", html)
	}

	// The close: the result with its chart, the bytes the bot drew.
	since = model.GetMillis() - 1
	must[*model.CommandResponse](t, "/sluit")(anna.ExecuteCommand(ctx, s.channel.Id, "/sluit "+id))
	post = s.botPostAfter(t, ctx, s.channel.Id, since, "Uitslag van peiling `"+id+"`", 10*time.Second)
	chart := s.download(t, ctx, s.admin, post, "peiling-"+id+"-grafiek.png", "image/png")
	want, err := a.bot.ExportPoll(ctx, id, "png")
	if err != nil || !bytes.Equal(chart, want.Data) {
		t.Errorf("the chart downloaded (%d bytes) is not the bot's (%d bytes, %v)", len(chart), len(want.Data), err)
	}
	if img, err := png.Decode(bytes.NewReader(chart)); err != nil || img.Bounds().Dx() != 1080 {
		t.Errorf("chart: %v", err)
	}

	// Who voted what: refused to bob; to anna only in her direct channel.
	if resp := must[*model.CommandResponse](t, "bob /uitslag stemmen")(bob.ExecuteCommand(ctx, s.channel.Id, "/uitslag "+id+" stemmen")); !strings.Contains(resp.Text, "alleen wie de peiling begon") {
		t.Errorf("bob: %q", resp.Text)
	}
	dm := must[*model.Channel](t, "anna's direct channel")(anna.CreateDirectChannel(ctx, annaUser.Id, s.botUser.Id))
	since = model.GetMillis() - 1
	resp = must[*model.CommandResponse](t, "anna /uitslag stemmen")(anna.ExecuteCommand(ctx, s.channel.Id, "/uitslag "+id+" stemmen"))
	if resp.ResponseType != model.CommandResponseTypeEphemeral || !strings.Contains(resp.Text, "privégesprek") {
		t.Errorf("anna: %s %q", resp.ResponseType, resp.Text)
	}
	post = s.postIn(t, ctx, anna, dm.Id, since, "peiling-"+id+"-stemmen.csv")
	votes := string(s.download(t, ctx, anna, post, "peiling-"+id+"-stemmen.csv", "text/csv"))
	for _, u := range []*model.User{bobUser, carlaUser} {
		if !strings.Contains(votes, u.Id+";"+u.Username) {
			t.Errorf("who voted what lacks %s:\n%s", u.Username, votes)
		}
	}
	for _, p := range s.botPosts(t, ctx, s.channel.Id, since) {
		if len(p.FileIds) > 0 {
			t.Errorf("who voted what reached the channel: %q", p.Message)
		}
	}

	// Every poll of the channel, also privately.
	since = model.GetMillis() - 1
	must[*model.CommandResponse](t, "/peilingen csv")(anna.ExecuteCommand(ctx, s.channel.Id, "/peilingen csv"))
	post = s.postIn(t, ctx, anna, dm.Id, since, "peilingen-"+s.channel.Id+".csv")
	if all := readCSV(t, s.download(t, ctx, anna, post, "peilingen-"+s.channel.Id+".csv", "text/csv")); len(all) < 4 {
		t.Errorf("the channel's polls: %d rows", len(all))
	}
	t.Logf("poll %s: CSV, paragraph, chart at the close, who voted what and the channel's polls uploaded and downloaded again", id)
}

// download fetches the file named name that post carries, through c, and
// checks its media type when want is set.
func (s *e2eServer) download(t *testing.T, ctx context.Context, c *model.Client4, post *model.Post, name, want string) []byte {
	t.Helper()
	infos := must[[]*model.FileInfo](t, "file infos")(c.GetFileInfosForPost(ctx, post.Id, ""))
	for _, info := range infos {
		if info.Name != name {
			continue
		}
		if want != "" && !strings.HasPrefix(info.MimeType, want) {
			t.Errorf("%s has media type %q, want %s", name, info.MimeType, want)
		}
		return must[[]byte](t, "download "+name)(c.GetFile(ctx, info.Id))
	}
	t.Fatalf("post %q carries no file %s (%d files)", post.Message, name, len(infos))
	return nil
}

// postIn waits for a post by the bot in channel, read through c, created
// after since, that contains want.
func (s *e2eServer) postIn(t *testing.T, ctx context.Context, c *model.Client4, channel string, since int64, want string) *model.Post {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if list, _, err := c.GetPostsSince(ctx, channel, since, false); err == nil {
			for _, p := range list.Posts {
				if p.UserId == s.botUser.Id && strings.Contains(p.Message, want) && len(p.FileIds) > 0 {
					return p
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no post by the bot with %q and a file in channel %s", want, channel)
	return nil
}

// readCSV parses a CSV file for Dutch Excel: byte-order mark, semicolons.
func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("CSV: %v\n%s", err, data)
	}
	return rows
}
