/** EC2's `TagSpecification.N` (tags on create: CreateSnapshot, CreateImage), as the Query protocol flattens it. */
import type { SimTag } from '../../state';
import type { Ec2Context } from './describe';

/** The tags of the specifications for `resourceType` (`snapshot`, `image`), in request order. */
export function tagSpecs(ctx: Ec2Context, resourceType: string): SimTag[] {
  const tags: SimTag[] = [];
  for (let n = 1; ctx.p.get(`TagSpecification.${n}.ResourceType`) !== undefined; n++) {
    if (ctx.p.get(`TagSpecification.${n}.ResourceType`) !== resourceType) continue;
    for (let m = 1; ctx.p.get(`TagSpecification.${n}.Tag.${m}.Key`) !== undefined; m++) {
      tags.push({ key: ctx.p.get(`TagSpecification.${n}.Tag.${m}.Key`) ?? '', value: ctx.p.get(`TagSpecification.${n}.Tag.${m}.Value`) ?? '' });
    }
  }
  return tags;
}
