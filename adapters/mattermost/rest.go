package mattermost

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/waardenbot/waardenbot/bot"
)

// The adapter speaks Mattermost's REST API (v4) with a client of its own
// rather than Mattermost's model.Client4: the requests and answers are
// small structs holding only the fields the adapter sends or reads. A
// type of Mattermost's model package that goes through encoding/json
// keeps all of its methods in the binary, and what they reach: a
// *model.PostPatch alone brought Mattermost's whole markdown parser and
// its HTML entity table. With model.Client4 and those types the bot was
// 1.1 MB larger and held 0.8 MB more resident memory when idle
// (go run ./e2e/footprint, November 2026).

// client sends requests to the server's REST API as the bot.
type client struct {
	url   string // the server, without a trailing slash
	token string // the bot's personal access token
	http  *http.Client
}

// apiError is an answer that is not what was asked for: the server's
// refusal (a status outside 2xx) with its headers (Retry-After) and the
// error Mattermost puts in the body, or a success whose body is
// unreadable.
type apiError struct {
	Status  int         `json:"-"`
	Header  http.Header `json:"-"`
	Message string      `json:"message"`
	Detail  string      `json:"detailed_error"`
}

// Error is the server's message and detail, as Mattermost's own client
// shows them.
func (e *apiError) Error() string {
	msg := e.Message
	if e.Detail != "" {
		if msg != "" {
			msg += ", "
		}
		msg += e.Detail
	}
	if msg == "" {
		msg = fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
	}
	return msg
}

// httpStatus is the HTTP status of a refusal by the server, or 0 when err
// is no answer from it (or nil).
func httpStatus(err error) int {
	var e *apiError
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// do sends a request to path (under /api/v4) with in as its JSON body (nil:
// none) and decodes a successful answer into out (nil: ignored). It
// returns the answer's headers.
func (c *client) do(ctx context.Context, method, path string, in, out any) (http.Header, error) {
	var body io.Reader
	contentType := ""
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body, contentType = bytes.NewReader(b), "application/json"
	}
	return c.send(ctx, method, path, contentType, body, out)
}

// send is do with a body that is already encoded.
func (c *client) send(ctx context.Context, method, path, contentType string, body io.Reader, out any) (http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.url+"/api/v4"+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.Header, refusal(resp)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			// The server did it, but its answer is unreadable: an
			// error with the status, so that nobody does it again.
			return resp.Header, &apiError{Status: resp.StatusCode, Header: resp.Header, Message: "unreadable answer: " + err.Error()}
		}
	}
	io.Copy(io.Discard, resp.Body) // lets the connection be reused
	return resp.Header, nil
}

// refusal reads Mattermost's error from a non-2xx answer.
func refusal(resp *http.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &apiError{Status: resp.StatusCode, Header: resp.Header}
	if json.Unmarshal(raw, e) != nil {
		// Not Mattermost's JSON: a proxy's page, or the plain "http:
		// request body too large" of an upload over the size limit.
		e.Message = bot.Truncate(strings.TrimSpace(string(raw)), 200)
	}
	return e
}

// path joins escaped path segments: path("users", id) is "/users/ID".
func path(segments ...string) string {
	var sb strings.Builder
	for _, s := range segments {
		sb.WriteString("/")
		sb.WriteString(url.PathEscape(s))
	}
	return sb.String()
}

// post is a Mattermost post as the adapter writes and reads it.
type post struct {
	Id        string         `json:"id,omitempty"`
	ChannelId string         `json:"channel_id,omitempty"`
	RootId    string         `json:"root_id,omitempty"`
	UserId    string         `json:"user_id,omitempty"`
	Message   string         `json:"message"`
	Type      string         `json:"type,omitempty"`
	Props     map[string]any `json:"props,omitempty"`
	FileIds   []string       `json:"file_ids,omitempty"`
}

// attachment is a message attachment (props.attachments) as a poll post
// has it.
type attachment struct {
	Fallback string        `json:"fallback,omitempty"`
	Color    string        `json:"color,omitempty"`
	Text     string        `json:"text,omitempty"`
	Actions  []*postAction `json:"actions,omitempty"`
}

// postAction is an attachment's button.
type postAction struct {
	Id          string       `json:"id"`
	Type        string       `json:"type"`
	Name        string       `json:"name"`
	Style       string       `json:"style,omitempty"`
	Integration *integration `json:"integration,omitempty"`
}

// integration is where Mattermost posts a button's click, and what with.
type integration struct {
	URL     string         `json:"url"`
	Context map[string]any `json:"context,omitempty"`
}

// createPost posts p as the bot and returns the post the server made.
func (c *client) createPost(ctx context.Context, p *post) (*post, error) {
	var got post
	_, err := c.do(ctx, http.MethodPost, "/posts", p, &got)
	return &got, err
}

// createEphemeral shows p to user alone (needs the system admin role).
func (c *client) createEphemeral(ctx context.Context, user string, p *post) error {
	body := struct {
		UserID string `json:"user_id"`
		Post   *post  `json:"post"`
	}{user, p}
	_, err := c.do(ctx, http.MethodPost, "/posts/ephemeral", body, nil)
	return err
}

// patchProps replaces the props of the post id, and nothing else.
func (c *client) patchProps(ctx context.Context, id string, props map[string]any) error {
	body := struct {
		Props map[string]any `json:"props"`
	}{props}
	_, err := c.do(ctx, http.MethodPut, path("posts", id, "patch"), body, nil)
	return err
}

// user is a Mattermost account as the adapter reads it.
type user struct {
	Id       string `json:"id"`
	Username string `json:"username"`
	Roles    string `json:"roles"` // space-separated role names
	IsBot    bool   `json:"is_bot"`
	DeleteAt int64  `json:"delete_at"`
}

// team is a team as the adapter reads it.
type team struct {
	Id   string `json:"id"`
	Name string `json:"name"`
}

// membership is a user's membership of a team or a channel.
type membership struct {
	Roles       string `json:"roles"` // space-separated role names
	SchemeAdmin bool   `json:"scheme_admin"`
	DeleteAt    int64  `json:"delete_at"`
}

// channel is a channel as the adapter reads it.
type channel struct {
	Id   string `json:"id"`
	Type string `json:"type"` // model.ChannelTypeOpen, …
}

// role is a role and its permissions.
type role struct {
	Name        string   `json:"name"`
	Permissions []string `json:"permissions"`
}

// versionHeader carries the server's version in every answer:
// "version.build.hash.enterprise".
const versionHeader = "X-Version-Id"

// me is the bot's own account, and the server's version.
func (c *client) me(ctx context.Context) (*user, string, error) {
	var u user
	h, err := c.do(ctx, http.MethodGet, "/users/me", nil, &u)
	return &u, h.Get(versionHeader), err
}

// user is the account id.
func (c *client) user(ctx context.Context, id string) (*user, error) {
	var u user
	_, err := c.do(ctx, http.MethodGet, path("users", id), nil, &u)
	return &u, err
}

// ping asks whether the server runs, and returns its answer and version.
func (c *client) ping(ctx context.Context) (map[string]any, string, error) {
	var out map[string]any
	h, err := c.do(ctx, http.MethodGet, "/system/ping?get_server_status=false&use_rest_semantics=false", nil, &out)
	return out, h.Get(versionHeader), err
}

// teamByName is the team with the URL name name.
func (c *client) teamByName(ctx context.Context, name string) (*team, error) {
	var t team
	_, err := c.do(ctx, http.MethodGet, path("teams", "name", name), nil, &t)
	return &t, err
}

// teamMember is user's membership of team.
func (c *client) teamMember(ctx context.Context, team, user string) (*membership, error) {
	var m membership
	_, err := c.do(ctx, http.MethodGet, path("teams", team, "members", user), nil, &m)
	return &m, err
}

// channelMember is user's membership of channel.
func (c *client) channelMember(ctx context.Context, channel, user string) (*membership, error) {
	var m membership
	_, err := c.do(ctx, http.MethodGet, path("channels", channel, "members", user), nil, &m)
	return &m, err
}

// roles are the roles with the names.
func (c *client) roles(ctx context.Context, names []string) ([]role, error) {
	var out []role
	_, err := c.do(ctx, http.MethodPost, "/roles/names", names, &out)
	return out, err
}

// role is the role with the name.
func (c *client) role(ctx context.Context, name string) (*role, error) {
	var r role
	_, err := c.do(ctx, http.MethodGet, path("roles", "name", name), nil, &r)
	return &r, err
}

// channelsOf are the channels of team that user is a member of.
func (c *client) channelsOf(ctx context.Context, team, user string) ([]channel, error) {
	var out []channel
	_, err := c.do(ctx, http.MethodGet, path("users", user, "teams", team, "channels")+"?include_deleted=false", nil, &out)
	return out, err
}

// directChannel opens (or finds) the direct channel of two users.
func (c *client) directChannel(ctx context.Context, user1, user2 string) (*channel, error) {
	var ch channel
	_, err := c.do(ctx, http.MethodPost, "/channels/direct", []string{user1, user2}, &ch)
	return &ch, err
}

// peopleIn counts the active members of channel that are not bots (needs
// the permission to read the system console's users).
func (c *client) peopleIn(ctx context.Context, channel string) (int64, error) {
	q := url.Values{"in_team": {""}, "in_channel": {channel}, "include_deleted": {"false"}, "include_bots": {"false"}, "include_remote_users": {"false"}}
	var st struct {
		Count int64 `json:"total_users_count"`
	}
	_, err := c.do(ctx, http.MethodGet, "/users/stats/filtered?"+q.Encode(), nil, &st)
	return st.Count, err
}

// memberCount counts the active members of channel, bots included.
func (c *client) memberCount(ctx context.Context, channel string) (int64, error) {
	var st struct {
		Count int64 `json:"member_count"`
	}
	_, err := c.do(ctx, http.MethodGet, path("channels", channel, "stats")+"?exclude_files_count=true", nil, &st)
	return st.Count, err
}

// usersIn is a page of the members of channel.
func (c *client) usersIn(ctx context.Context, channel string, page, perPage int) ([]user, error) {
	q := url.Values{"in_channel": {channel}, "page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(perPage)}}
	var out []user
	_, err := c.do(ctx, http.MethodGet, "/users?"+q.Encode(), nil, &out)
	return out, err
}

// status is user's presence: model.StatusOnline, StatusAway, StatusDnd or
// StatusOffline.
func (c *client) status(ctx context.Context, user string) (string, error) {
	var st struct {
		Status string `json:"status"`
	}
	_, err := c.do(ctx, http.MethodGet, path("users", user, "status"), nil, &st)
	return st.Status, err
}

// command is a custom slash command. An update sends back all of it:
// Mattermost replaces the command with what it gets (except its ID,
// token, creator and team), so the fields an admin may have set
// (username, icon_url) are kept here too.
type command struct {
	Id               string `json:"id,omitempty"`
	Token            string `json:"token,omitempty"`
	CreatorId        string `json:"creator_id,omitempty"`
	TeamId           string `json:"team_id"`
	Trigger          string `json:"trigger"`
	Method           string `json:"method"`
	Username         string `json:"username,omitempty"`
	IconURL          string `json:"icon_url,omitempty"`
	AutoComplete     bool   `json:"auto_complete"`
	AutoCompleteDesc string `json:"auto_complete_desc"`
	AutoCompleteHint string `json:"auto_complete_hint"`
	DisplayName      string `json:"display_name"`
	Description      string `json:"description"`
	URL              string `json:"url"`
	DeleteAt         int64  `json:"delete_at,omitempty"`
}

// commands are team's custom slash commands.
func (c *client) commands(ctx context.Context, team string) ([]*command, error) {
	q := url.Values{"team_id": {team}, "custom_only": {"true"}}
	var out []*command
	_, err := c.do(ctx, http.MethodGet, "/commands?"+q.Encode(), nil, &out)
	return out, err
}

// createCommand creates cmd and returns it with its ID and token.
func (c *client) createCommand(ctx context.Context, cmd *command) (*command, error) {
	var got command
	_, err := c.do(ctx, http.MethodPost, "/commands", cmd, &got)
	return &got, err
}

// updateCommand replaces the command cmd.Id with cmd.
func (c *client) updateCommand(ctx context.Context, cmd *command) (*command, error) {
	var got command
	_, err := c.do(ctx, http.MethodPut, path("commands", cmd.Id), cmd, &got)
	return &got, err
}

// dialogRequest opens an interactive dialog with the trigger ID of a
// command or a click.
type dialogRequest struct {
	TriggerId string     `json:"trigger_id"`
	URL       string     `json:"url"` // where Mattermost posts the submission
	Dialog    dialogForm `json:"dialog"`
}

// dialogForm is what the dialog shows.
type dialogForm struct {
	CallbackId       string          `json:"callback_id"`
	Title            string          `json:"title"`
	IntroductionText string          `json:"introduction_text,omitempty"`
	Elements         []dialogElement `json:"elements,omitempty"`
	SubmitLabel      string          `json:"submit_label,omitempty"`
	State            string          `json:"state,omitempty"`
}

// dialogElement is one field of a dialog.
type dialogElement struct {
	DisplayName string         `json:"display_name"`
	Name        string         `json:"name"`
	Type        string         `json:"type"`
	Default     string         `json:"default,omitempty"`
	Placeholder string         `json:"placeholder,omitempty"`
	HelpText    string         `json:"help_text,omitempty"`
	Optional    bool           `json:"optional,omitempty"`
	MaxLength   int            `json:"max_length,omitempty"`
	Options     []dialogOption `json:"options,omitempty"`
	MultiSelect bool           `json:"multiselect,omitempty"`
}

// dialogOption is a choice of a select element.
type dialogOption struct {
	Text  string `json:"text"`
	Value string `json:"value"`
}

// openDialog opens d for the user whose command or click gave its
// trigger ID.
func (c *client) openDialog(ctx context.Context, d dialogRequest) error {
	_, err := c.do(ctx, http.MethodPost, "/actions/dialogs/open", d, nil)
	return err
}

// dialogSubmission is a submitted dialog, as Mattermost posts it to the
// dialog's URL.
type dialogSubmission struct {
	Type       string         `json:"type,omitempty"`
	URL        string         `json:"url,omitempty"`
	CallbackId string         `json:"callback_id"`
	State      string         `json:"state"`
	UserId     string         `json:"user_id"`
	ChannelId  string         `json:"channel_id"`
	TeamId     string         `json:"team_id"`
	Submission map[string]any `json:"submission"`
	Cancelled  bool           `json:"cancelled"`
}

// dialogResponse answers a submission: nothing closes the dialog; an
// error (for the whole form) or errors (per element) keep it open.
type dialogResponse struct {
	Error  string            `json:"error,omitempty"`
	Errors map[string]string `json:"errors,omitempty"`
}

// submitDialog has the server post s to s.URL as if a user submitted a
// dialog, and returns the answer.
func (c *client) submitDialog(ctx context.Context, s dialogSubmission) (*dialogResponse, error) {
	var out dialogResponse
	_, err := c.do(ctx, http.MethodPost, "/actions/dialogs/submit", s, &out)
	return &out, err
}

// uploadFile uploads a file into channel, to be attached to a post, and
// returns its ID. A server that took the file but names no ID answers
// with an error with its status (201).
func (c *client) uploadFile(ctx context.Context, channel, name string, data []byte) (string, error) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("channel_id", channel)
	part, err := w.CreateFormFile("files", name)
	if err != nil {
		return "", err
	}
	part.Write(data)
	if err := w.Close(); err != nil {
		return "", err
	}
	var out struct {
		FileInfos []struct {
			Id string `json:"id"`
		} `json:"file_infos"`
	}
	h, err := c.send(ctx, http.MethodPost, "/files", w.FormDataContentType(), &body, &out)
	if err != nil {
		return "", err
	}
	if len(out.FileInfos) == 0 {
		return "", &apiError{Status: http.StatusCreated, Header: h, Message: "the server took the file but returned no file info"}
	}
	return out.FileInfos[0].Id, nil
}
