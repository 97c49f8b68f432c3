/**
 * A kind's cleanup actions (KindActionDto): the declared list, or the one implicit delete of a kind that declares
 * none. The plan, the cleanup, the kind list and the CLI read actions only through here.
 */
import type { KindActionDto } from '../../shared/dto/kinds';
import type { KindDescription } from './handler';

/** The id of the implicit action of a kind that declares none. */
export const DELETE_ACTION = 'delete';

type Declaring = Pick<KindDescription, 'actions' | 'actionLabel' | 'iam'>;

/** Every action of the kind, the default first. */
export function actionsOf(kind: Declaring): readonly KindActionDto[] {
  if (kind.actions !== undefined && kind.actions.length > 0) return kind.actions;
  return [
    {
      id: DELETE_ACTION,
      label: kind.actionLabel,
      doneLabel: pastTense(kind.actionLabel),
      description: `${kind.actionLabel} it`,
      removes: true,
      iam: [...kind.iam.action],
    },
  ];
}

/** The action a plan item gets when the user names none: the first that is not `explicit`. */
export function defaultActionOf(kind: Declaring): KindActionDto {
  const all = actionsOf(kind);
  const first = all.find((a) => a.explicit !== true);
  if (first === undefined) throw new Error('A kind needs at least one action that is not explicit');
  return first;
}

/** The named action, the default for none, or undefined when the kind has no such action. */
export function actionById(kind: Declaring, id: string | undefined): KindActionDto | undefined {
  if (id === undefined) return defaultActionOf(kind);
  return actionsOf(kind).find((a) => a.id === id);
}

function pastTense(verb: string): string {
  const w = verb.trim();
  if (w === '') return 'Done';
  if (w.endsWith('e')) return `${w}d`;
  return `${w}ed`;
}
