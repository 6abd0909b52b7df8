extension LabRun {
    /// Loads `ruleset` into the run's namespace (`NftRuleset.apply`). Then it files the rules,
    /// stamped with the time they are in force from, in the observation (`Observation.inputDrops`).
    /// That is how the state inference knows which captured segments never reached their
    /// receiver. The errors are `apply`'s.
    public func drop(_ ruleset: NftRuleset) throws(LabError) {
        try ruleset.apply(isolation: isolation)
        let loaded = InputDrops(time: WallClock.nowMicroseconds(), drops: ruleset.drops)
        log.record { $0.inputDrops.append(loaded) }
    }
}
