package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	corev1 "k8s.io/api/core/v1"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/runtime/config"
)

// imageEnv is what the distroless image's config sets; the container's
// environment is that and the Deployment's env, nothing of the host's.
var imageEnv = []string{
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME=/home/nonroot",
	"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
}

// The binary built the image's way, started as the Deployment's container
// (its args, its environment with the Secret naming a real PostgreSQL, its
// user, the project as the ConfigMap volume), becomes ready on the
// readiness probe, is live on the liveness and startup probes, answers a
// request through the Service's port with a query through the binding,
// holds its pool and the one LISTEN connection the sizing counts, and
// exits 0 on SIGTERM within the grace period.
func TestThePodServes(t *testing.T) {
	m := loadManifests(t)
	dsn := pgtest.NewDatabase(t)
	p := startPod(t, m, m.project, map[string]string{"hyperdrive-url": dsn}, nil)
	for _, pr := range []struct {
		name  string
		probe *corev1.Probe
		body  string
	}{{"startup", p.c.StartupProbe, "ok\n"}, {"liveness", p.c.LivenessProbe, "ok\n"}, {"readiness", p.c.ReadinessProbe, "ready\n"}} {
		if code, body := get(p.probeURL(pr.probe)); code != 200 || body != pr.body {
			t.Errorf("%s probe %s: %d %q, want 200 %q", pr.name, pr.probe.HTTPGet.Path, code, body, pr.body)
		}
	}
	p.checkWorker(dsn)
	p.waitHealthy()

	// The pod's connections: at most the pool, plus the LISTEN connection
	// the sizing counts.
	limit := p.config().Hyperdrive[0].OriginConnectionLimit
	conns := connections(t, dsn)
	if conns["edgerun cache invalidation"] != 1 {
		t.Errorf("connections by application_name %v: want one LISTEN connection (notify_channel)", conns)
	}
	if conns["edgerun"] < 1 || conns["edgerun"] > limit {
		t.Errorf("pooled connections %d, want 1 to origin_connection_limit %d", conns["edgerun"], limit)
	}
	p.terminate(dsn)
}

// README's recipe for a budget too small for the pods: the Secret names
// PgBouncer in transaction mode (?pgbouncer=true), and notify_channel's
// LISTEN goes to fallback_connection_string, the direct database, whose
// URL in the ConfigMap carries no password: PGPASSWORD, from the Secret,
// supplies it. Under concurrent requests the database sees PgBouncer's
// pool and the one LISTEN connection, not the pod's origin_connection_limit.
func TestThePodBehindPgBouncer(t *testing.T) {
	m := loadManifests(t)
	dsn := pgtest.NewDatabase(t)
	bouncer := pgtest.PgBouncer(t, dsn) + "&pgbouncer=true"
	direct, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	password, _ := direct.User.Password()
	direct.User = url.User(direct.User.Username())

	project := maps.Clone(m.project)
	toml := project["wrangler.toml"]
	const caching = "\n[hyperdrive.caching]"
	if !strings.Contains(toml, caching) {
		t.Fatalf("project/wrangler.toml has no %q to add the fallback before", caching)
	}
	project["wrangler.toml"] = strings.Replace(toml, caching, fmt.Sprintf("\nfallback_connection_string = %q\n%s", direct.String(), caching), 1)
	secret := map[string]string{"hyperdrive-url": bouncer, "password": password}
	extra := []corev1.EnvVar{{Name: "PGPASSWORD", ValueFrom: &corev1.EnvVarSource{
		SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: m.secret.Name}, Key: "password"}}}}
	p := startPod(t, m, project, secret, extra)
	p.waitHealthy()

	const clients = 40
	var wg sync.WaitGroup
	errs := make(chan string, clients)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if code, body := get(p.url(p.workerPort, "/")); code != 200 || !strings.Contains(body, `"answer":42`) {
					errs <- fmt.Sprintf("%d %s", code, body)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("GET / through PgBouncer: %s", e)
	}
	conns := connections(t, dsn)
	if conns["edgerun cache invalidation"] != 1 {
		t.Errorf("connections by application_name %v: want the LISTEN connection on the direct database", conns)
	}
	total := 0
	for _, n := range conns {
		total += n
	}
	if total > pgtest.PgBouncerPoolSize+1 {
		t.Errorf("the database has %d connections %v: want at most PgBouncer's pool (%d) and the LISTEN connection", total, conns, pgtest.PgBouncerPoolSize)
	}
	p.terminate(dsn)
}

// pod is the Deployment's container running here.
type pod struct {
	t                      *testing.T
	m                      *manifests
	c                      *corev1.Container
	cmd                    *exec.Cmd
	logs                   *syncBuffer
	exited                 chan error
	stopped                bool
	ports                  map[int]int // the args' ports → this machine's
	workerPort, adminPort  int         // the args'
	projectDir, configFile string
	tmp                    string
}

// startPod runs the container with project as its ConfigMap, secret as the
// Secret's data (keys the example does not have are added), and extra env
// after the Deployment's, and waits until its readiness probe answers 200.
//
// Two things differ from a cluster, and only these: the ports (a pod has
// its own network namespace; here the args' ports are mapped to free ones,
// and the probes follow the mapping) and the mount path (the volume is a
// directory of the test's, and the args' paths under it are mapped).
func startPod(t *testing.T, m *manifests, project, secret map[string]string, extra []corev1.EnvVar) *pod {
	t.Helper()
	c := m.container(t).DeepCopy()
	c.Env = append(c.Env, extra...)
	binary := imageBinary(t)
	args, err := parseArgs(c.Args, serveFlags(t, binary))
	if err != nil {
		t.Fatal(err)
	}
	p := &pod{t: t, m: m, c: c, logs: &syncBuffer{}, exited: make(chan error, 1)}
	p.workerPort, p.adminPort = listenPorts(t, args)
	p.ports = map[int]int{p.workerPort: freePort(t), p.adminPort: freePort(t)}
	withProject := *m
	withProject.project = project
	p.projectDir = withProject.projectDir(t, c, args)
	p.configFile = p.projectDir + "/" + lastElem(args["c"])
	mountPath := strings.TrimSuffix(args["c"], "/"+lastElem(args["c"]))

	if p.tmp, err = os.MkdirTemp(scratch, "tmp-"); err == nil {
		err = os.Chmod(p.tmp, 0o777)
	}
	if err != nil {
		t.Fatal(err)
	}
	// The container runs the image's ENTRYPOINT with the Deployment's args
	// in place of its CMD.
	df, err := readDockerfile()
	if err != nil {
		t.Fatal(err)
	}
	s := m.secret.DeepCopy()
	maps.Copy(s.StringData, secret)
	p.cmd = exec.Command(binary, append(df.final().entrypoint[1:], podArgs(c.Args, mountPath, p.projectDir, p.ports)...)...)
	p.cmd.Dir = "/" // the image sets no WORKDIR
	p.cmd.Env = append(append(append([]string{}, imageEnv...), podEnv(t, c, s)...), "TMPDIR="+p.tmp)
	if os.Geteuid() == 0 {
		// As the pod's user (the image's nonroot), who may write nothing of
		// the project's.
		sc := m.deployment.Spec.Template.Spec.SecurityContext
		p.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(*sc.RunAsUser), Gid: uint32(*sc.RunAsGroup)}}
	}
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if !p.stopped {
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})
	// Ready: the readiness probe answers 200 (the kubelet's test).
	deadline := time.Now().Add(60 * time.Second)
	for {
		if code, _ := get(p.probeURL(c.ReadinessProbe)); code == 200 {
			return p
		}
		select {
		case err := <-p.exited:
			p.stopped = true
			t.Fatalf("edgerun exited before it was ready: %v\n%s", err, p.logs.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the readiness probe never answered 200; logs:\n%s", p.logs.String())
		}
	}
}

func (p *pod) url(port int, path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", p.ports[port], path)
}

func (p *pod) probeURL(pr *corev1.Probe) string {
	port, err := containerPort(p.c, pr.HTTPGet.Port)
	if err != nil {
		p.t.Fatal(err)
	}
	return p.url(port, pr.HTTPGet.Path)
}

func (p *pod) config() *config.Config {
	cfg, _, err := loadConfig(p.configFile, p.cmd.Env)
	if err != nil {
		p.t.Fatal(err)
	}
	return cfg
}

// checkWorker sends a request through the Service's port: it reaches the
// worker and the database dsn names.
func (p *pod) checkWorker(dsn string) {
	t := p.t
	svcPort, err := containerPort(p.c, p.m.service.Spec.Ports[0].TargetPort)
	if err != nil {
		t.Fatal(err)
	}
	code, body := get(p.url(svcPort, "/"))
	var answer struct {
		Hello    string `json:"hello"`
		Database string `json:"database"`
		Answer   int    `json:"answer"`
	}
	u, _ := url.Parse(dsn)
	if code != 200 || json.Unmarshal([]byte(body), &answer) != nil || answer.Database != strings.TrimPrefix(u.Path, "/") || answer.Answer != 42 {
		t.Fatalf("GET / = %d %s, want 200 with database %q and answer 42; logs:\n%s", code, body, strings.TrimPrefix(u.Path, "/"), p.logs.String())
	}
}

// waitHealthy waits for /health to say healthy, which it does once the
// cache listens for other pods' writes.
func (p *pod) waitHealthy() {
	var health struct {
		Status string `json:"status"`
	}
	for deadline := time.Now().Add(15 * time.Second); ; {
		code, body := get(p.url(p.adminPort, "/health"))
		if code == 200 && json.Unmarshal([]byte(body), &health) == nil && health.Status == "healthy" {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("/health = %d %s, want healthy; logs:\n%s", code, body, p.logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// terminate sends SIGTERM and wants the pod drained and gone within the
// grace period with exit status 0, nothing written to TMPDIR, and dsn's
// password nowhere in its log.
func (p *pod) terminate(dsn string) {
	t := p.t
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	grace := time.Duration(*p.m.deployment.Spec.Template.Spec.TerminationGracePeriodSeconds) * time.Second
	select {
	case err := <-p.exited:
		p.stopped = true
		if err != nil {
			t.Fatalf("edgerun exited with %v on SIGTERM; logs:\n%s", err, p.logs.String())
		}
	case <-time.After(grace):
		t.Fatalf("edgerun still running %s after SIGTERM (terminationGracePeriodSeconds); logs:\n%s", grace, p.logs.String())
	}
	if left, _ := os.ReadDir(p.tmp); len(left) > 0 {
		t.Errorf("edgerun wrote %d files to TMPDIR, which a read-only root filesystem does not have", len(left))
	}
	u, _ := url.Parse(dsn)
	if pw, ok := u.User.Password(); !ok || pw == "" {
		t.Errorf("the test database's URL has no password: the logs cannot be checked for it")
	} else if strings.Contains(p.logs.String(), pw) {
		t.Error("the connection string's password is in the logs")
	}
	t.Logf("the pod's log:\n%s", p.logs.String())
}

// podArgs is the container's args with the listen ports mapped and the
// paths under the volume's mountPath moved to its directory here.
func podArgs(args []string, mountPath, dir string, ports map[int]int) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if i > 0 {
			switch strings.TrimLeft(args[i-1], "-") {
			case "port":
				p, _ := strconv.Atoi(a)
				a = strconv.Itoa(ports[p])
			case "admin":
				host, p, _ := strings.Cut(a, ":")
				n, _ := strconv.Atoi(p)
				a = net.JoinHostPort(host, strconv.Itoa(ports[n]))
			}
		}
		if rest, ok := strings.CutPrefix(a, mountPath+"/"); ok {
			a = dir + "/" + rest
		}
		out[i] = a
	}
	return out
}

// connections counts the database's sessions by application_name.
func connections(t *testing.T, dsn string) map[string]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT application_name, count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			t.Fatal(err)
		}
		out[name] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func get(u string) (int, string) {
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(u)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func lastElem(p string) string { return p[strings.LastIndex(p, "/")+1:] }

// syncBuffer collects a child's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
