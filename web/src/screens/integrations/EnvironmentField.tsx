import { ENVIRONMENTS } from "../../api-webhooks.ts";
import { SelectField } from "../../components/forms.tsx";

/** The environment a source, an endpoint or the events shown are for; `none` names the blank choice. */
export function EnvironmentField({ id, name, none }: { id: string; name: string; none: string }) {
  return <SelectField id={id} label="Environment" name={name} options={ENVIRONMENTS} none={none} />;
}
