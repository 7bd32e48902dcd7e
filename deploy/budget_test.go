package deploy

import (
	"testing"

	"k8s.io/apimachinery/pkg/util/intstr"
)

// The README's worked example: a PostgreSQL with max_connections = 100, of
// which 10 are kept for superusers, migrations and your own tools.
const (
	exampleMaxConnections = 100
	exampleReserved       = 10
)

// The example's origin_connection_limit fits the database's connection
// budget at the HPA's maximum scale during a rollout (maxSurge more pods),
// counting each pod's LISTEN connection for notify_channel: the formula of
// README "Sizing origin_connection_limit", from the manifests as they are.
func TestConnectionBudget(t *testing.T) {
	m := loadManifests(t)
	c := m.container(t)
	args, err := parseArgs(c.Args, serveFlags(t, imageBinary(t)))
	if err != nil {
		t.Fatal(err)
	}
	env := podEnv(t, c, &m.secret)
	cfg, _, err := loadConfig(m.projectDir(t, c, args)+"/"+lastElem(args["c"]), env)
	if err != nil {
		t.Fatal(err)
	}
	maxReplicas := int(m.hpa.Spec.MaxReplicas)
	surge := intstr.FromInt32(1)
	if ru := m.deployment.Spec.Strategy.RollingUpdate; ru != nil && ru.MaxSurge != nil {
		surge = *ru.MaxSurge
	}
	maxSurge, err := intstr.GetScaledValueFromIntOrPercent(&surge, maxReplicas, true)
	if err != nil {
		t.Fatal(err)
	}
	perPod := 0
	for _, h := range cfg.Hyperdrive {
		// The primary's pool; the example has no fallback or replicas,
		// which would each have a pool of the same size.
		if h.FallbackConnectionString != "" || len(h.ReplicaConnectionStrings) > 0 {
			t.Fatalf("binding %s has more endpoints than this budget counts", h.Binding)
		}
		perPod += h.OriginConnectionLimit
		if h.Caching.NotifyChannel != "" {
			perPod++ // the LISTEN connection, outside the pool
		}
	}
	pods := maxReplicas + maxSurge
	budget := exampleMaxConnections - exampleReserved
	t.Logf("%d pods × %d connections = %d of a budget of %d", pods, perPod, pods*perPod, budget)
	if pods*perPod > budget {
		t.Fatalf("%d pods (maxReplicas %d + maxSurge %d) × %d connections each = %d, over the budget of %d (max_connections %d − %d reserved)",
			pods, maxReplicas, maxSurge, perPod, pods*perPod, budget, exampleMaxConnections, exampleReserved)
	}
	// And it is the formula's answer, not merely under it: the comments in
	// project/wrangler.toml and the README's example show this arithmetic.
	if perPod != budget/pods {
		t.Fatalf("%d connections per pod, the formula gives %d ÷ %d = %d: update the example and its comments", perPod, budget, pods, budget/pods)
	}
}
