package dev.patrol.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way through the agent (docs/architecture.md): the package graph of patrol-core and of
 * patrol-transport has no cycles, and the transport never reaches back into core. A new import that closes a loop
 * fails here with the cycle spelled out, before it spreads.
 */
class PackageGraphTest {

    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.patrol.core", "dev.patrol.transport");

    @Test
    void corePackagesFormNoCycles() {
        slices().assignedFrom(new PackageSlices("dev.patrol.core"))
                .should()
                .beFreeOfCycles()
                .check(MAIN_CLASSES);
    }

    @Test
    void transportPackagesFormNoCycles() {
        slices().assignedFrom(new PackageSlices("dev.patrol.transport"))
                .should()
                .beFreeOfCycles()
                .check(MAIN_CLASSES);
    }

    @Test
    void transportNeverDependsOnCore() {
        noClasses()
                .that()
                .resideInAPackage("dev.patrol.transport..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.patrol.core..")
                .check(MAIN_CLASSES);
    }

    @Test
    void onlyTheCommandLineAndTheDemoUseTheRootPackage() {
        noClasses()
                .that()
                .resideInAPackage("dev.patrol.core.(*)..")
                .and()
                .resideOutsideOfPackages("dev.patrol.core.cli..", "dev.patrol.core.demo..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.patrol.core")
                .check(MAIN_CLASSES);
    }

    /**
     * One slice per package directly under {@code root}, the root package itself included (ArchUnit's
     * {@code matching("root.(*)..")} would leave the root's classes, such as {@code Agent}, out of the graph).
     */
    private record PackageSlices(String root) implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (pkg.equals(root)) {
                return SliceIdentifier.of("(root)");
            }
            if (!pkg.startsWith(root + ".")) {
                return SliceIdentifier.ignore();
            }
            String rest = pkg.substring(root.length() + 1);
            int dot = rest.indexOf('.');
            return SliceIdentifier.of(dot < 0 ? rest : rest.substring(0, dot));
        }

        @Override
        public String getDescription() {
            return "packages of " + root;
        }
    }
}
