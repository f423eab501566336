package onprem

import (
	"github.com/pulumi/pulumi-vsphere/sdk/v4/go/vsphere"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// PlacementNames are the vCenter inventory names a tier is placed with:
// what an operator knows. ResourcePool is optional (the cluster's root
// pool by default).
type PlacementNames struct {
	Datacenter   string
	Cluster      string
	ResourcePool string
	Datastore    string
	PortGroup    string
	Template     string
}

// Placement is what LookUpPlacement found in vCenter: the ids WebTierArgs
// takes and the template to clone.
type Placement struct {
	DatacenterID, ComputeClusterID, ResourcePoolID, DatastoreID, NetworkID string
	Template                                                               Template
}

// SetOn fills the placement fields of a tier's args.
func (p *Placement) SetOn(a *WebTierArgs) {
	a.DatacenterID = pulumi.String(p.DatacenterID)
	a.ComputeClusterID = pulumi.String(p.ComputeClusterID)
	a.ResourcePoolID = pulumi.String(p.ResourcePoolID)
	a.DatastoreID = pulumi.String(p.DatastoreID)
	a.NetworkID = pulumi.String(p.NetworkID)
	a.Template = p.Template
}

// LookUpPlacement resolves the names in vCenter (invokes, before anything
// is registered) and returns every name it cannot find at once, each as a
// problem of its PlacementNames field (components/problem). The invoke
// options (e.g. pulumi.Provider) apply to every lookup.
func LookUpPlacement(ctx *pulumi.Context, n PlacementNames, opts ...pulumi.InvokeOption) (*Placement, error) {
	probs := problem.List{Component: "onprem placement"}
	notFound := func(field, what, name string, err error) {
		probs.Add(field, "%s %q not found in vCenter: %v", what, name, err)
	}
	dc, err := vsphere.LookupDatacenter(ctx, &vsphere.LookupDatacenterArgs{Name: pulumi.StringRef(n.Datacenter)}, opts...)
	if err != nil {
		// Everything else is looked up in the datacenter.
		notFound("Datacenter", "datacenter", n.Datacenter, err)
		return nil, probs.Err()
	}
	p := &Placement{DatacenterID: dc.Id}
	if c, err := vsphere.LookupComputeCluster(ctx, &vsphere.LookupComputeClusterArgs{Name: n.Cluster, DatacenterId: &dc.Id}, opts...); err != nil {
		notFound("Cluster", "compute cluster", n.Cluster, err)
	} else {
		p.ComputeClusterID, p.ResourcePoolID = c.Id, c.ResourcePoolId
		if p.ResourcePoolID == "" && n.ResourcePool == "" {
			probs.Add("Cluster", "compute cluster %q has no root resource pool; name one (ResourcePool)", n.Cluster)
		}
	}
	if n.ResourcePool != "" {
		if rp, err := vsphere.LookupResourcePool(ctx, &vsphere.LookupResourcePoolArgs{Name: pulumi.StringRef(n.ResourcePool), DatacenterId: &dc.Id}, opts...); err != nil {
			notFound("ResourcePool", "resource pool", n.ResourcePool, err)
		} else {
			p.ResourcePoolID = rp.Id
		}
	}
	if ds, err := vsphere.GetDatastore(ctx, &vsphere.GetDatastoreArgs{Name: n.Datastore, DatacenterId: &dc.Id}, opts...); err != nil {
		notFound("Datastore", "datastore", n.Datastore, err)
	} else {
		p.DatastoreID = ds.Id
	}
	if nw, err := vsphere.GetNetwork(ctx, &vsphere.GetNetworkArgs{Name: n.PortGroup, DatacenterId: &dc.Id}, opts...); err != nil {
		notFound("PortGroup", "port group", n.PortGroup, err)
	} else {
		p.NetworkID = nw.Id
	}
	if t, err := LookupTemplate(ctx, dc.Id, n.Template, opts...); err != nil {
		probs.Add("Template", "cannot clone from it: %v", err)
	} else {
		p.Template = *t
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return p, nil
}
