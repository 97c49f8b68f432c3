/**
 * Plain DTOs of the AWS access layer. They hold no secrets (no keys, no session tokens) and are safe to send over
 * IPC and to log. Declared once in src/shared/dto/aws.ts (the IPC contract's DTOs) and re-exported here.
 */
export { PROFILE_KINDS } from '../../shared/dto/aws';
export type {
  AwsIdentityDto,
  AwsProfileDto,
  MfaPrompt,
  Partition,
  ProfileKind,
  ProfileListDto,
} from '../../shared/dto/aws';

/** The pseudo-profile that stands for AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment. */
export const ENVIRONMENT_PROFILE = '(environment)';
