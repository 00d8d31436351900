import { buildJobRegistry, JobHandlerProvider, JobName, JobRegistryError } from './job.types';

const noop = async () => undefined;

class Commands implements JobHandlerProvider {
  jobHandlers() {
    return { [JobName.CommandRun]: noop };
  }
}
class Clusters implements JobHandlerProvider {
  jobHandlers() {
    return { [JobName.ClusterProvision]: noop, [JobName.ClusterStop]: noop };
  }
}
class Grading implements JobHandlerProvider {
  jobHandlers() {
    return { [JobName.GradingRun]: noop };
  }
}
class Authoring implements JobHandlerProvider {
  jobHandlers() {
    return { [JobName.LabProve]: noop, [JobName.LabRegrade]: noop };
  }
}
class AlsoCommands implements JobHandlerProvider {
  jobHandlers() {
    return { [JobName.CommandRun]: noop };
  }
}

describe('buildJobRegistry', () => {
  it('maps every job name to its one handler', () => {
    const registry = buildJobRegistry([new Commands(), new Clusters(), new Grading(), new Authoring()]);
    expect(Object.keys(registry).sort()).toEqual(Object.values(JobName).sort());
  });

  it('refuses a job without a handler, naming it', () => {
    expect(() => buildJobRegistry([new Commands(), new Clusters(), new Authoring()])).toThrow(
      new JobRegistryError('no handler for job(s): grading.run'),
    );
  });

  it('refuses a job with two handlers, naming both', () => {
    expect(() =>
      buildJobRegistry([new Commands(), new Clusters(), new Grading(), new Authoring(), new AlsoCommands()]),
    ).toThrow('job "command.run" has two handlers: Commands and AlsoCommands');
  });
});
