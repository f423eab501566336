package transit

// The Validate methods report every problem of the args for a component
// called name (the name its New function will get), as the New functions
// would, without registering anything: a program can check all its
// components before it creates the first one.

// Validate checks the args of NewTransitGateway.
func (a *TransitGatewayArgs) Validate(name string) error {
	ps := problems{list: a.validate()}
	return ps.err(instance{kindGateway, name})
}

// Validate checks the args of NewPeering.
func (a *PeeringArgs) Validate(name string) error {
	ps := problems{list: a.validate()}
	return ps.err(instance{kindPeering, name})
}

// Validate checks the args of NewPeeringAccepter.
func (a *PeeringAccepterArgs) Validate(name string) error {
	ps := problems{list: a.validate()}
	return ps.err(instance{kindAccepter, name})
}

// Validate checks the args of NewOnPremLink.
func (a *OnPremLinkArgs) Validate(name string) error {
	ps := problems{list: a.validate()}
	return ps.err(instance{kindLink, name})
}
