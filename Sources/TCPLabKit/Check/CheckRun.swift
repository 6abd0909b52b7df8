/// Runs one check: the student's program takes its role, the lab plays the rest of the story,
/// and the claims are judged (`CheckPlan.claims`). The lab process must already be in the
/// run's namespace (`NetworkIsolation.enter`), as for `tcplab scenario`.
public enum CheckRun {
    /// Runs `plan` with `program` in `lab`, giving it `startTimeout` seconds to listen or connect.
    /// Everything the run started is stopped before it returns or throws. Throws
    /// `StudentStartFailure` when the program could not take its role (one line for the student).
    /// `started` is called once the program has taken its role, `failed` before the teardown
    /// when it could not (the command then prints the run, or only the one line).
    public static func run(
        _ plan: any CheckPlan, program: StudentProgram, lab: LabRun, startTimeout: Double,
        started: () -> Void = {}, failed: () -> Void = {}
    ) throws -> CheckReport {
        let cast: CheckCast
        do {
            cast = try plan.start(lab, program, within: startTimeout)
        } catch let failure as StudentStartFailure {
            failed()
            lab.finish()
            throw failure
        } catch {
            failed()
            lab.finish()
            throw StudentStartFailure(description: "\(error)")
        }
        started()
        var stopped: LabError?
        do { try plan.play(lab, cast) } catch { stopped = error }
        lab.finish()
        let observation = lab.log.snapshot
        let claims = plan.claims(observation, lab)
        let run = RunReport(lab: lab, observation: observation, claims: claims, error: stopped?.description)
        return CheckReport(plan: plan, program: program, traced: ProgramEvidence(observation, plan.role).traced,
                           notJudged: plan.notJudged(observation), run: run)
    }
}
